"""The vocabulary demo data is made of: people, clients, projects, tasks, tags, descriptions."""

from __future__ import annotations

FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal", "Lena",
    "Mateo", "Nora", "Oskar", "Priya", "Quinn", "Rosa", "Samir", "Tova", "Umar", "Vera", "Wen", "Ximena",
    "Yusuf", "Zoe", "Amara", "Bruno", "Celia", "Diego", "Emeka", "Freya", "Goran", "Hana", "Ivo", "Julia",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Lindqvist", "Moreau", "Tanaka", "Kowalski", "Haddad", "Fischer", "Silva", "Novak", "Rossi",
    "Andersen", "Yilmaz", "Costa", "Murphy", "Ivanova", "Nakamura", "Schmidt", "Dubois", "Garcia", "Berg",
    "Kaur", "Mensah", "Petrov", "Walsh", "Horvat", "Laine", "Duarte", "Sato", "Weber", "Quispe",
)  # fmt: skip
CLIENTS = (
    "Acme Logistics", "Blue Harbor Foods", "Cobalt Insurance", "Delta Dental Group", "Evergreen Schools",
    "Fjord Outdoor", "Granite Bank", "Helios Energy", "Ironwood Legal", "Juniper Health", "Kestrel Air",
    "Lumen Publishing",
)  # fmt: skip
PROJECTS = (
    "Website relaunch", "Mobile app", "Data warehouse", "Brand refresh", "Customer portal", "API platform",
    "Billing migration", "Security audit", "Onboarding flow", "Analytics dashboard", "Support desk",
    "Newsletter", "Payroll integration", "Search", "Infrastructure", "Design system", "Checkout",
    "Accessibility review", "Marketing site", "Partner API", "Reporting", "Internal tools", "Kiosk app",
    "Inventory sync", "Localization", "Performance", "CRM rollout", "Training", "Hiring", "Office move",
    "Research", "Documentation", "Mobile redesign", "Compliance", "Pricing page", "Chatbot",
)  # fmt: skip
TASKS = (
    "Planning", "Design", "Development", "Code review", "Testing", "Deployment", "Meetings",
    "Documentation", "Bug fixing", "Research", "Support", "Project management", "Copywriting", "QA",
)  # fmt: skip
TAGS = (
    "meeting", "remote", "on-site", "urgent", "overtime", "review", "call", "travel", "training", "support",
    "planning", "admin",
)  # fmt: skip
DESCRIPTIONS = (
    "Sprint planning", "Daily stand-up", "Implement feature", "Fix reported bug", "Review pull request",
    "Write specification", "Client call", "Prepare estimate", "Update documentation", "Refactor module",
    "Investigate issue", "Pair programming", "Deploy release", "Write tests", "Design mock-ups",
    "Workshop with client", "Answer support tickets", "Performance tuning", "Data clean-up", "Retrospective",
    "Weekly report", "Onboarding session", "Security fixes", "Migration script", "",
)  # fmt: skip
NO_PROJECT = ("Email", "Internal meeting", "Admin", "Learning", "1:1")
COLORS = (
    "#F44336", "#E91E63", "#9C27B0", "#673AB7", "#3F51B5", "#2196F3", "#03A9F4", "#00BCD4", "#009688",
    "#4CAF50", "#8BC34A", "#CDDC39", "#FFC107", "#FF9800", "#FF5722", "#795548", "#607D8B",
)  # fmt: skip
