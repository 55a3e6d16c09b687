"""The raw material of the demo: places, names, occupations and tags, per branch and language.

Only believable values live here (no logic): the cast (:mod:`duo.consumers.demo.cast`) draws from
them with a seeded random generator. A branch that is not listed (a new antenna) falls back
to its country's values, then to neutral ones, so onboarding a branch never breaks the demo.
Tags (interests, personality) are in the branch's first language, because a coordinator
reads and compares them; occupations and goals too.
"""

from __future__ import annotations

#: Postcodes of the neighbourhoods candidates live in (matching compares their prefixes).
POSTCODES: dict[str, tuple[str, ...]] = {
    "brussels": (
        "1000", "1020", "1030", "1040", "1050", "1060", "1070",
        "1080", "1081", "1090", "1140", "1180", "1190", "1210",
    ),
    "liege": ("4000", "4020", "4030", "4031", "4100", "4420", "4430", "4460"),
    "antwerp": ("2000", "2018", "2020", "2050", "2060", "2100", "2140", "2170", "2610"),
    "ghent": ("9000", "9030", "9031", "9032", "9040", "9050", "9051", "9052"),
    "mechelen": ("2800", "2801", "2811", "2812", "2820", "2830"),
    "rotterdam": (
        "3011 AB", "3012 KL", "3021 CD", "3024 EE", "3026 GT", "3033 BT",
        "3071 KK", "3073 AA", "3082 PL", "3083 LM",
    ),
    "paris": ("75010", "75011", "75012", "75013", "75018", "75019", "75020", "93100", "93200"),
    "lille": ("59000", "59100", "59130", "59160", "59200", "59260", "59800"),
    "marseille": ("13001", "13002", "13003", "13005", "13013", "13014", "13015"),
    "lyon": ("69001", "69003", "69007", "69008", "69100", "69200", "69500"),
}  # fmt: skip
COUNTRY_POSTCODES: dict[str, tuple[str, ...]] = {
    "be": ("1000", "1030", "1080"),
    "nl": ("1011 AB", "1053 CD", "1102 EF"),
    "fr": ("75011", "75018", "75020"),
}

#: Where the branch holds its information sessions and trainings.
VENUES: dict[str, str] = {
    "brussels": "Rue Royale 55, 1000 Bruxelles",
    "liege": "Rue Saint-Gilles 33, 4000 Liège",
    "antwerp": "Lange Nieuwstraat 12, 2000 Antwerpen",
    "ghent": "Kortrijksesteenweg 2, 9000 Gent",
    "mechelen": "Grote Markt 21, 2800 Mechelen",
    "rotterdam": "Coolsingel 40, 3011 AD Rotterdam",
    "paris": "12 rue de la Roquette, 75011 Paris",
    "lille": "5 rue Nationale, 59000 Lille",
    "marseille": "20 boulevard d'Athènes, 13001 Marseille",
    "lyon": "8 quai Saint-Vincent, 69001 Lyon",
}

#: Faker locale for the mentors' names, by (country, person's language).
FAKER_LOCALES: dict[tuple[str, str], str] = {
    ("be", "fr"): "fr_BE",
    ("be", "nl"): "nl_BE",
    ("be", "en"): "en_GB",
    ("nl", "nl"): "nl_NL",
    ("nl", "en"): "en_GB",
    ("fr", "fr"): "fr_FR",
    ("fr", "en"): "en_GB",
}
DEFAULT_FAKER_LOCALE = {"fr": "fr_FR", "nl": "nl_NL", "en": "en_GB"}

#: Mentors are 50 or older: first names of their generation (Faker's lists mix in the
#: names of today's babies), by Faker locale. Last names come from Faker.
MENTOR_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "fr_BE": (
        "Jean-Pierre", "Martine", "Philippe", "Anne", "Michel", "Nathalie", "Patrick",
        "Isabelle", "Alain", "Françoise", "Bernard", "Christine", "Marc", "Véronique",
        "Dominique", "Luc", "Sylvie", "Didier", "Brigitte", "Thierry", "Chantal", "Pascal",
        "Monique", "André", "Myriam", "Jacques", "Claudine", "Daniel", "Catherine", "Serge",
    ),
    "fr_FR": (
        "Jean-Luc", "Martine", "Philippe", "Catherine", "Michel", "Sylvie", "Patrick",
        "Isabelle", "Alain", "Françoise", "Bernard", "Nathalie", "Éric", "Véronique",
        "Dominique", "Christophe", "Brigitte", "Thierry", "Chantal", "Pascal", "Hélène",
        "Gérard", "Nicole", "Jean-Marc", "Évelyne", "Didier", "Valérie", "Laurent", "Pascale",
    ),
    "nl_BE": (
        "Jan", "Marleen", "Luc", "Hilde", "Dirk", "Annemie", "Geert", "Rita", "Marc",
        "Veerle", "Johan", "Greet", "Peter", "Kris", "Paul", "Ingrid", "Wim", "Els", "Bart",
        "Karin", "Erik", "Linda", "Guido", "Mieke", "Patrick", "Katrien", "Rudi", "Lieve",
    ),
    "nl_NL": (
        "Henk", "Ineke", "Gerrit", "Marian", "Kees", "Wilma", "Hans", "Monique", "Jeroen",
        "Petra", "Ruud", "Annemarie", "Frank", "Yvonne", "Rob", "Carla", "Wim", "Anja",
        "Peter", "Marjolein", "Ton", "Ria", "Jos", "Margriet", "Erik", "Mirjam", "Arjen",
    ),
    "en_GB": (
        "Susan", "David", "Margaret", "Richard", "Helen", "Andrew", "Catherine", "Stephen",
        "Julia", "Paul", "Fiona", "Mark", "Alison", "Graham", "Karen", "Simon",
    ),
}  # fmt: skip
#: Words that may precede a family name ("van der Plas", "De Smet", "Le Goff").
NAME_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "te", "le", "la", "du", "des", "'t"}
)

#: Mobile numbers: (prefix, first digits to choose from, groups of digits).
PHONE_FORMATS: dict[str, tuple[str, tuple[str, ...], tuple[int, ...]]] = {
    "be": ("+32 4", ("70", "71", "72", "73", "75", "76", "77", "78", "79", "86", "94"), (2, 2, 2)),
    "nl": ("+31 6 ", ("1", "2", "3", "4", "5"), (3, 4)),
    "fr": ("+33 ", ("6", "7"), (2, 2, 2, 2)),
}

#: Mentees' names by origin, with the languages they grew up with (ISO 639-1).
ORIGINS: dict[str, dict[str, tuple[str, ...]]] = {
    "maghreb": {
        "first": (
            "Amina", "Youssef", "Fatima", "Samir", "Leila", "Omar", "Nadia", "Karim",
            "Soukaina", "Hamza", "Rania", "Bilal", "Yasmina", "Hanan", "Mehdi", "Ilyas",
        ),
        "last": (
            "El Amrani", "Benali", "Bouzid", "Haddad", "El Idrissi", "Ouali", "Tahiri",
            "Benyahia", "Chaoui", "Mansouri", "Ait Said", "Lahlou",
        ),
        "tongues": ("ar",),
    },
    "anatolia": {
        "first": ("Elif", "Emre", "Dilan", "Mehmet", "Zeynep", "Burak", "Esra", "Baran"),
        "last": ("Yılmaz", "Kaya", "Demir", "Aydın", "Çelik", "Doğan", "Arslan", "Özdemir"),
        "tongues": ("tr", "ku"),
    },
    "eritrea_ethiopia": {
        "first": ("Tesfaye", "Senait", "Yonas", "Meron", "Filmon", "Saba", "Dawit", "Helen"),
        "last": ("Haile", "Tesfay", "Gebremedhin", "Kidane", "Tekle", "Mengistu"),
        "tongues": ("ti", "am"),
    },
    "somalia": {
        "first": ("Abdirahman", "Hodan", "Hamdi", "Mohamed", "Ayaan", "Liban"),
        "last": ("Osman", "Warsame", "Abdi", "Farah", "Hassan", "Jama"),
        "tongues": ("so",),
    },
    "west_africa": {
        "first": ("Moussa", "Awa", "Kofi", "Aminata", "Ibrahima", "Fatoumata", "Mamadou", "Adjoa"),
        "last": ("Diallo", "Traoré", "Bah", "Mensah", "Koné", "Sow", "Camara", "Ndiaye"),
        "tongues": ("wo", "fr"),
    },
    "central_africa": {
        "first": ("Christelle", "Merveille", "Jonathan", "Grâce", "Dieudonné", "Ornella"),
        "last": ("Mukendi", "Ilunga", "Tshibangu", "Mbuyi", "Kalonji", "Nzuzi"),
        "tongues": ("ln", "sw"),
    },
    "middle_east": {
        "first": ("Ahmad", "Mariam", "Zainab", "Farid", "Shirin", "Hassan", "Nour", "Ali"),
        "last": ("Rahimi", "Haidari", "Al-Khatib", "Hussein", "Nazari", "Karimi", "Saleh"),
        "tongues": ("fa", "ps", "ar"),
    },
    "ukraine": {
        "first": ("Olena", "Dmytro", "Iryna", "Andriy", "Kateryna", "Oleksandr"),
        "last": ("Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Tkachenko"),
        "tongues": ("uk", "ru"),
    },
    "latin_america": {
        "first": ("Camila", "Mateo", "Valentina", "Diego", "Luciana", "Andrés"),
        "last": ("Rodríguez", "Gómez", "Castillo", "Morales", "Vargas", "Pereira"),
        "tongues": ("es", "pt"),
    },
}  # fmt: skip
#: Second-generation candidates come mostly from the longest-settled communities.
SECOND_GENERATION_ORIGINS = ("maghreb", "anatolia", "central_africa", "west_africa")

#: Sectors the demo uses (keys of duo.people.vocab.SECTORS): an experienced mentor's
#: occupation (words that suit a woman or a man) and a mentee's professional goal, by language.
OCCUPATIONS: dict[str, dict[str, str]] = {
    "administration": {
        "fr": "responsable des services généraux",
        "nl": "office manager",
        "en": "office manager",
    },
    "logistics": {
        "fr": "responsable d'entrepôt",
        "nl": "logistiek manager",
        "en": "warehouse manager",
    },
    "construction": {"fr": "chef de chantier", "nl": "werfleider", "en": "site manager"},
    "it": {
        "fr": "chef de projet informatique",
        "nl": "IT-projectleider",
        "en": "IT project manager",
    },
    "healthcare": {"fr": "cadre de santé", "nl": "hoofdverpleegkundige", "en": "head nurse"},
    "education": {
        "fr": "chef d'établissement scolaire",
        "nl": "schooldirecteur",
        "en": "head teacher",
    },
    "hospitality": {
        "fr": "responsable de restauration",
        "nl": "hotelmanager",
        "en": "hotel manager",
    },
    "retail": {"fr": "responsable de magasin", "nl": "winkelmanager", "en": "store manager"},
    "finance": {"fr": "comptable", "nl": "boekhouder", "en": "accountant"},
    "engineering": {
        "fr": "ingénieur de production",
        "nl": "productie-ingenieur",
        "en": "production engineer",
    },
    "social_work": {
        "fr": "responsable d'un service social",
        "nl": "maatschappelijk werker",
        "en": "social worker",
    },
    "public_sector": {
        "fr": "cadre de la fonction publique",
        "nl": "gemeenteambtenaar",
        "en": "civil servant",
    },
    "marketing": {
        "fr": "responsable marketing",
        "nl": "marketingmanager",
        "en": "marketing manager",
    },
    "transport": {"fr": "responsable de flotte", "nl": "vlootbeheerder", "en": "fleet manager"},
}
SECTORS = tuple(OCCUPATIONS)

GOALS: dict[str, dict[str, str]] = {
    "administration": {
        "fr": "Trouver un poste administratif dans une entreprise",
        "nl": "Een administratieve job vinden in een bedrijf",
        "en": "Find an office job in a company",
    },
    "logistics": {
        "fr": "Travailler en logistique (préparation de commandes)",
        "nl": "Werken in de logistiek (orderpicking)",
        "en": "Work in logistics (order picking)",
    },
    "construction": {
        "fr": "Décrocher un contrat en électricité du bâtiment",
        "nl": "Aan de slag als elektricien in de bouw",
        "en": "Work as an electrician in construction",
    },
    "it": {
        "fr": "Travailler au support informatique (helpdesk)",
        "nl": "Werken op een IT-helpdesk",
        "en": "Work on an IT helpdesk",
    },
    "healthcare": {
        "fr": "Travailler dans les soins aux personnes âgées",
        "nl": "Werken in de ouderenzorg",
        "en": "Work in elderly care",
    },
    "education": {
        "fr": "Travailler dans l'accueil extrascolaire",
        "nl": "Werken in de buitenschoolse opvang",
        "en": "Work in after-school care",
    },
    "hospitality": {
        "fr": "Travailler en cuisine dans un restaurant",
        "nl": "Werken in een restaurantkeuken",
        "en": "Work in a restaurant kitchen",
    },
    "retail": {
        "fr": "Trouver un emploi dans la vente",
        "nl": "Een job vinden in de verkoop",
        "en": "Find a job in sales",
    },
    "finance": {
        "fr": "Reprendre la comptabilité, métier exercé au pays",
        "nl": "Opnieuw in de boekhouding werken, zoals in het thuisland",
        "en": "Work in accounting again, as back home",
    },
    "engineering": {
        "fr": "Travailler en maintenance industrielle",
        "nl": "Werken in industrieel onderhoud",
        "en": "Work in industrial maintenance",
    },
    "social_work": {
        "fr": "Travailler dans l'animation jeunesse",
        "nl": "Werken in het jeugdwerk",
        "en": "Work in youth work",
    },
    "public_sector": {
        "fr": "Travailler à l'accueil d'un service public",
        "nl": "Werken aan het onthaal van een openbare dienst",
        "en": "Work at the front desk of a public service",
    },
    "marketing": {
        "fr": "Travailler en communication digitale",
        "nl": "Werken in digitale communicatie",
        "en": "Work in digital communication",
    },
    "transport": {
        "fr": "Obtenir le permis C et travailler dans la livraison",
        "nl": "Rijbewijs C halen en werken als koerier",
        "en": "Get a truck licence and work in delivery",
    },
}

INTERESTS: dict[str, tuple[str, ...]] = {
    "fr": (
        "cuisine", "football", "randonnée", "musique", "lecture", "jardinage",
        "photographie", "échecs", "vélo", "théâtre", "voyages", "cinéma", "danse",
    ),
    "nl": (
        "koken", "voetbal", "wandelen", "muziek", "lezen", "tuinieren",
        "fotografie", "schaken", "fietsen", "theater", "reizen", "film", "dansen",
    ),
    "en": (
        "cooking", "football", "hiking", "music", "reading", "gardening",
        "photography", "chess", "cycling", "theatre", "travel", "cinema", "dance",
    ),
}  # fmt: skip
PERSONALITY: dict[str, tuple[str, ...]] = {
    "fr": (
        "calme", "méthodique", "dynamique", "enthousiaste", "pragmatique", "sociable",
        "à l'écoute", "sens de l'humour", "optimiste",
    ),
    "nl": (
        "rustig", "methodisch", "dynamisch", "enthousiast", "pragmatisch", "sociaal",
        "goede luisteraar", "gevoel voor humor", "optimistisch",
    ),
    "en": (
        "calm", "methodical", "dynamic", "enthusiastic", "pragmatic", "sociable",
        "good listener", "sense of humour", "optimistic",
    ),
}  # fmt: skip

#: Slots most people can offer (weekday evenings, Wednesday and Saturday), and the daytime
#: slots retired mentors add.
COMMON_SLOTS = (
    "mon-evening",
    "tue-evening",
    "wed-afternoon",
    "wed-evening",
    "thu-evening",
    "fri-afternoon",
    "sat-morning",
    "sat-afternoon",
)
DAYTIME_SLOTS = ("mon-morning", "tue-morning", "tue-afternoon", "thu-morning", "thu-afternoon")

#: How candidates heard of the programme (duo.sessions.models.HEARD_FROM), weighted.
HEARD_FROM_MENTEES = (
    ("employment_service", 4),
    ("partner_organisation", 4),
    ("friends_family", 3),
    ("social_media", 3),
    ("website", 1),
)
HEARD_FROM_MENTORS = (
    ("website", 3),
    ("press", 2),
    ("friends_family", 3),
    ("event", 1),
    ("social_media", 1),
    ("partner_organisation", 1),
)

#: Short notes a coordinator writes at the intake, and justifications, by language.
NOTES: dict[str, dict[str, str]] = {
    "mentee_no_consent": {
        "fr": "Préfère répondre plus tard aux questions sur son parcours migratoire.",
        "nl": "Wil de vragen over de migratieachtergrond liever later beantwoorden.",
        "en": "Prefers to answer the questions on migration background later.",
    },
    "mentor_unsure": {
        "fr": "Déménagement possible au printemps : disponibilité de six mois à confirmer.",
        "nl": "Verhuist misschien in de lente: beschikbaarheid van zes maanden te bevestigen.",
        "en": "May move in spring: six-month availability to be confirmed.",
    },
    "mentee_too_old": {
        "fr": "Orienté vers le service emploi de la commune.",
        "nl": "Doorverwezen naar de jobdienst van de gemeente.",
        "en": "Referred to the municipal job service.",
    },
    "mentor_too_young": {
        "fr": "Reprendra contact l'an prochain, à 50 ans.",
        "nl": "Neemt volgend jaar opnieuw contact op, na de 50.",
        "en": "Will apply again next year, at 50.",
    },
    "override_age": {
        "fr": "Aura 50 ans avant la fin de la formation ; 30 ans d'expérience, très disponible.",
        "nl": "Wordt 50 voor het einde van de opleiding; 30 jaar ervaring, ruim beschikbaar.",
        "en": "Turns 50 before the training ends; 30 years of experience, widely available.",
    },
    "other_barriers": {
        "fr": "Sans diplôme, habite un quartier prioritaire : accepté au titre des autres freins.",
        "nl": "Geen diploma, woont in een kwetsbare wijk: aanvaard wegens andere drempels.",
        "en": "No diploma, lives in a priority neighbourhood: accepted for other barriers.",
    },
    "withdrawn_job": {
        "fr": "A trouvé un emploi avant l'entretien individuel.",
        "nl": "Heeft werk gevonden vóór het intakegesprek.",
        "en": "Found a job before the intake interview.",
    },
    "diploma": {
        "fr": "Diplôme obtenu à l'étranger : demande d'équivalence en cours.",
        "nl": "Diploma behaald in het buitenland: gelijkwaardigheid aangevraagd.",
        "en": "Diploma obtained abroad: recognition requested.",
    },
}


def text(table: dict[str, str], locale: str) -> str:
    """A note in ``locale``, else in English."""
    return table.get(locale) or table["en"]
