"""Name lists, email providers and company/job vocabularies."""

from __future__ import annotations

ITALIAN_FIRST_M = (
    "Marco", "Luca", "Giuseppe", "Francesco", "Alessandro", "Andrea", "Matteo", "Lorenzo", "Davide",
    "Simone", "Federico", "Riccardo", "Stefano", "Paolo", "Giovanni", "Antonio", "Roberto", "Fabio",
    "Daniele", "Nicola", "Gabriele", "Emanuele", "Michele", "Alberto", "Claudio", "Massimo", "Enrico",
    "Filippo", "Tommaso", "Pietro", "Salvatore", "Vincenzo", "Mario", "Luigi", "Carlo", "Giorgio",
    "Sergio", "Mattia", "Edoardo", "Leonardo", "Diego", "Cristian", "Raffaele", "Gianluca", "Fabrizio",
)
ITALIAN_FIRST_F = (
    "Giulia", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Alessia", "Federica", "Elisa",
    "Silvia", "Laura", "Elena", "Paola", "Anna", "Maria", "Giorgia", "Ilaria", "Roberta", "Simona",
    "Claudia", "Monica", "Barbara", "Cristina", "Serena", "Alice", "Beatrice", "Aurora", "Camilla",
    "Greta", "Noemi", "Marta", "Irene", "Veronica", "Eleonora", "Federica", "Benedetta", "Arianna",
    "Lucia", "Rosa", "Teresa", "Daniela", "Stefania", "Manuela", "Sofia", "Emma",
)
ITALIAN_LAST = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
    "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini",
    "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis",
    "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco",
    "Marini", "Grasso", "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo",
    "Sanna", "Farina", "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa",
    "Grassi", "Pellegrino", "Carbone", "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo",
    "Montanari", "Guerra", "Palmieri", "Bernardi", "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini",
    "Basile", "Riva", "Donati", "Piras", "Vitali", "Battaglia", "Sartori", "Neri", "Costantini",
    "Milani", "Pagano", "Ruggiero", "Sorrentino", "D'Amico", "Orlando", "Damico", "Negri",
)
ENGLISH_FIRST_M = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
    "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Joshua", "Kevin", "Brian",
    "George", "Edward", "Oliver", "Harry", "Jack", "Noah", "Liam", "Ethan", "Lucas", "Samuel",
    "Benjamin", "Henry", "Alexander", "Ryan", "Nathan", "Peter", "Simon", "Chris", "Adam", "Luke",
)
ENGLISH_FIRST_F = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
    "Emily", "Emma", "Olivia", "Sophie", "Charlotte", "Amelia", "Isla", "Grace", "Hannah", "Lucy",
    "Rachel", "Laura", "Rebecca", "Amy", "Megan", "Chloe", "Lauren", "Natalie", "Victoria", "Anna",
    "Claire", "Helen", "Kate", "Julia", "Alice", "Ruth", "Zoe", "Ella", "Mia", "Abigail",
)
ENGLISH_LAST = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
    "Miller", "Davis", "Garcia", "Rodriguez", "Martinez", "Anderson", "Taylor", "Moore", "Young", "Scott",
    "Mitchell", "Carter", "Phillips", "Campbell", "Parker", "Collins", "Stewart", "Murphy", "Cook", "Bell",
    "Schneider", "Fischer", "Weber", "Meyer", "Dubois", "Moreau", "Garnier", "Fernandez", "Lopez", "Muller",
)

EMAIL_PROVIDERS: dict[str, tuple[tuple[str, float], ...]] = {
    "IT": (("gmail.com", 0.42), ("libero.it", 0.14), ("hotmail.it", 0.10), ("yahoo.it", 0.07),
           ("outlook.it", 0.07), ("icloud.com", 0.07), ("virgilio.it", 0.05), ("alice.it", 0.04),
           ("tiscali.it", 0.02), ("fastwebnet.it", 0.02)),
    "GB": (("gmail.com", 0.45), ("outlook.com", 0.15), ("hotmail.co.uk", 0.12), ("yahoo.co.uk", 0.10),
           ("btinternet.com", 0.08), ("icloud.com", 0.10)),
    "US": (("gmail.com", 0.55), ("yahoo.com", 0.15), ("outlook.com", 0.12), ("icloud.com", 0.12),
           ("aol.com", 0.06)),
    "DE": (("gmail.com", 0.35), ("gmx.de", 0.25), ("web.de", 0.20), ("t-online.de", 0.10), ("outlook.de", 0.10)),
    "FR": (("gmail.com", 0.45), ("orange.fr", 0.20), ("free.fr", 0.12), ("hotmail.fr", 0.13), ("laposte.net", 0.10)),
    "ES": (("gmail.com", 0.55), ("hotmail.es", 0.20), ("yahoo.es", 0.10), ("outlook.es", 0.15)),
    "CH": (("gmail.com", 0.40), ("bluewin.ch", 0.30), ("gmx.ch", 0.15), ("outlook.com", 0.15)),
}

COMPANY_TLD = {"IT": ".it", "GB": ".co.uk", "US": ".com", "DE": ".de", "FR": ".fr", "ES": ".es", "CH": ".ch"}

COMPANY_PREFIX_IT = (
    "Alfa", "Nord", "Sud", "Centro", "Eurotec", "Italtec", "Tecno", "Idea", "Nova", "Delta", "Omega",
    "Adriatica", "Tirrena", "Alpina", "Padana", "Ligure", "Sicula", "Sarda", "Lariana", "Euganea", "Meta",
    "Prima", "Logica", "Officine", "Studio", "Gruppo", "Punto", "Progetto", "Sistemi", "Linea",
)
COMPANY_CORE_IT = (
    "Meccanica", "Logistica", "Software", "Consulting", "Servizi", "Impianti", "Design", "Digitale",
    "Costruzioni", "Alimentare", "Tessile", "Farmaceutica", "Informatica", "Energia", "Arredi", "Viaggi",
    "Ospitalita", "Finanza", "Assicurazioni", "Formazione", "Sanita", "Commerciale", "Elettronica", "Media",
)
COMPANY_SUFFIX_IT = ("S.r.l.", "S.p.A.", "Srl", "S.r.l.s.", "S.a.s.", "Società Cooperativa")
COMPANY_WORD_EN = (
    "Thames", "Northwind", "Bluebird", "Summit", "Harbour", "Oakridge", "Pioneer", "Granite", "Beacon",
    "Silverline", "Redwood", "Brightside", "Crescent", "Evergreen", "Keystone", "Meridian", "Horizon",
    "Atlas", "Lakeside", "Westbrook", "Kestrel", "Falcon", "Orchard", "Riverside",
)
COMPANY_CORE_EN = (
    "Digital", "Logistics", "Software", "Consulting", "Health", "Hospitality", "Foods", "Engineering",
    "Analytics", "Studios", "Finance", "Learning", "Retail", "Systems", "Media", "Design",
)
COMPANY_SUFFIX = {"GB": ("Ltd", "Limited", "LLP"), "US": ("Inc.", "LLC", "Corp."), "DE": ("GmbH", "AG"),
                  "FR": ("SAS", "SARL"), "ES": ("S.L.", "S.A."), "CH": ("AG", "SA", "GmbH")}

INDUSTRIES = (("retail", 0.14), ("manufacturing", 0.18), ("software", 0.16), ("hospitality", 0.09),
              ("healthcare", 0.08), ("finance", 0.09), ("education", 0.07), ("public_sector", 0.05),
              ("other", 0.14))
INDUSTRY_HINT = {"Meccanica": "manufacturing", "Logistica": "other", "Software": "software",
                 "Consulting": "other", "Impianti": "manufacturing", "Design": "other",
                 "Digitale": "software", "Costruzioni": "manufacturing", "Alimentare": "manufacturing",
                 "Tessile": "manufacturing", "Farmaceutica": "healthcare", "Informatica": "software",
                 "Energia": "manufacturing", "Arredi": "retail", "Viaggi": "hospitality",
                 "Ospitalita": "hospitality", "Finanza": "finance", "Assicurazioni": "finance",
                 "Formazione": "education", "Sanita": "healthcare", "Commerciale": "retail",
                 "Elettronica": "manufacturing", "Media": "other", "Digital": "software",
                 "Logistics": "other", "Health": "healthcare", "Hospitality": "hospitality",
                 "Foods": "manufacturing", "Engineering": "manufacturing", "Analytics": "software",
                 "Studios": "other", "Finance": "finance", "Learning": "education", "Retail": "retail",
                 "Systems": "software"}

JOB_TITLES_IT = (
    "Office Manager", "Responsabile Acquisti", "HR Manager", "Facility Manager", "Amministratore Delegato",
    "Titolare", "Responsabile Amministrativo", "IT Manager", "Responsabile Ufficio Tecnico",
    "Assistente di Direzione", "Responsabile Sicurezza (RSPP)", "Buyer", "Direttore Generale",
    "Responsabile Marketing", "Architetto", "Interior Designer", "Project Manager",
)
JOB_TITLES_EN = (
    "Office Manager", "Procurement Manager", "HR Manager", "Facilities Manager", "CEO", "Founder",
    "Operations Director", "IT Manager", "Workplace Lead", "Executive Assistant", "Health & Safety Officer",
    "Buyer", "Managing Director", "Marketing Manager", "Architect", "Interior Designer", "Project Manager",
)
ROLE_MAILBOXES_IT = ("info", "amministrazione", "acquisti", "ufficio", "segreteria", "sales")
ROLE_MAILBOXES_EN = ("info", "sales", "office", "accounts", "hello", "admin")
