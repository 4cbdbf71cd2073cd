"""The brand, its product catalogue, website pages and search queries."""

from __future__ import annotations

from dataclasses import dataclass

BRAND = "Ergonova"
BRAND_DOMAIN = "ergonova.it"
SITE = "https://www.ergonova.it"
GSC_PROPERTY = "sc-domain:ergonova.it"
TEST_EMAIL = "test@example.com"
PLACEHOLDER_EMAIL = "noreply@ergonova.it"  # typed by store staff for walk-in / phone orders


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    name_it: str
    category: str
    price_eur: float
    popularity: float

    @property
    def path(self) -> str:
        return f"/products/{self.sku.lower()}"


PRODUCTS: tuple[Product, ...] = (
    Product("CH-1001", "Aria Task Chair", "Sedia operativa Aria", "chairs", 289.0, 9),
    Product("CH-1002", "Aria Plus Task Chair", "Sedia operativa Aria Plus", "chairs", 349.0, 6),
    Product("CH-1003", "Atlante Executive Chair", "Poltrona direzionale Atlante", "chairs", 590.0, 3),
    Product("CH-1004", "Nuvola Mesh Chair", "Sedia in rete Nuvola", "chairs", 249.0, 7),
    Product("CH-1005", "Onda Kneeling Stool", "Sgabello in ginocchio Onda", "chairs", 159.0, 3),
    Product("CH-1006", "Sella Saddle Stool", "Sgabello a sella Sella", "chairs", 189.0, 2),
    Product("CH-1007", "Pilota Gaming Chair", "Sedia gaming Pilota", "chairs", 329.0, 3),
    Product("CH-1008", "Brio Junior Chair", "Sedia junior Brio", "chairs", 149.0, 3),
    Product("DK-2001", "Elevo Standing Desk 120", "Scrivania regolabile Elevo 120", "desks", 549.0, 5),
    Product("DK-2002", "Elevo Standing Desk 160", "Scrivania regolabile Elevo 160", "desks", 649.0, 4),
    Product("DK-2003", "Elevo Duo Dual-Motor Desk", "Scrivania Elevo Duo doppio motore", "desks", 790.0, 2),
    Product("DK-2004", "Alza Desk Converter", "Rialzo scrivania Alza", "desks", 229.0, 4),
    Product("DK-2005", "Piano Desk 140", "Scrivania Piano 140", "desks", 389.0, 3),
    Product("DK-2006", "Angolo Corner Desk", "Scrivania angolare Angolo", "desks", 879.0, 1),
    Product("LT-3001", "Luce Desk Lamp", "Lampada da scrivania Luce", "lighting", 89.0, 8),
    Product("LT-3002", "Luce Pro Desk Lamp", "Lampada da scrivania Luce Pro", "lighting", 139.0, 4),
    Product("LT-3003", "Faro Floor Lamp", "Lampada da terra Faro", "lighting", 189.0, 2),
    Product("LT-3004", "Barra Monitor Light Bar", "Barra luminosa per monitor Barra", "lighting", 59.0, 6),
    Product("LT-3005", "Alba Daylight Lamp", "Lampada luce naturale Alba", "lighting", 119.0, 3),
    Product("AC-4001", "Braccio Single Monitor Arm", "Braccio monitor singolo Braccio", "accessories", 79.0, 8),
    Product("AC-4002", "Braccio Dual Monitor Arm", "Braccio monitor doppio Braccio", "accessories", 129.0, 5),
    Product("AC-4003", "Passo Footrest", "Poggiapiedi Passo", "accessories", 45.0, 7),
    Product("AC-4004", "Leggio Laptop Stand", "Supporto laptop Leggio", "accessories", 49.0, 9),
    Product("AC-4005", "Ordine Cable Tray", "Canalina passacavi Ordine", "accessories", 29.0, 6),
    Product("AC-4006", "Suolo Anti-Fatigue Mat", "Tappetino antifatica Suolo", "accessories", 69.0, 4),
    Product("AC-4007", "Polso Wrist Rest", "Poggiapolsi Polso", "accessories", 19.0, 7),
    Product("AC-4008", "Riordino Desk Organizer", "Organizer da scrivania Riordino", "accessories", 35.0, 5),
    Product("AC-4009", "Ponte USB-C Dock", "Dock USB-C Ponte", "accessories", 99.0, 4),
    Product("AC-4010", "Lombo Lumbar Cushion", "Cuscino lombare Lombo", "accessories", 39.0, 8),
    Product("AK-5001", "Eco Acoustic Panels (6)", "Pannelli fonoassorbenti Eco (6)", "acoustics", 189.0, 3),
    Product("AK-5002", "Quiete Desk Divider", "Divisorio da scrivania Quiete", "acoustics", 149.0, 3),
    Product("AK-5003", "Silenzio Phone Booth", "Cabina acustica Silenzio", "acoustics", 2490.0, 0.3),
    Product("AK-5004", "Quadro Art Acoustic Panel", "Quadro fonoassorbente Quadro", "acoustics", 119.0, 2),
    Product("TX-6001", "Veste Seat Cover", "Coprisedia Veste", "textiles", 29.0, 3),
    Product("TX-6002", "Tepore Throw", "Plaid Tepore", "textiles", 49.0, 3),
    Product("TX-6003", "Morbido Seat Cushion", "Cuscino seduta Morbido", "textiles", 35.0, 5),
    Product("TX-6004", "Trama Rug", "Tappeto Trama", "textiles", 129.0, 2),
    Product("SV-7001", "Workplace Ergonomic Assessment", "Valutazione ergonomica postazioni", "services", 390.0, 0.6),
    Product("SV-7002", "Ergonomics Training Session", "Sessione di formazione ergonomica", "services", 690.0, 0.4),
    Product("SV-7003", "Setup & Installation", "Montaggio e installazione", "services", 149.0, 1.2),
)
PRODUCT_BY_SKU = {p.sku: p for p in PRODUCTS}
CATEGORIES = ("chairs", "desks", "lighting", "accessories", "acoustics", "textiles", "services")
CATEGORY_IT = {
    "chairs": "Sedute",
    "desks": "Scrivanie",
    "lighting": "Illuminazione",
    "accessories": "Accessori",
    "acoustics": "Acustica",
    "textiles": "Tessili",
    "services": "Servizi per aziende",
}


@dataclass(frozen=True)
class BlogPost:
    slug: str
    title: str
    category: str  # product category it sells into
    queries_it: tuple[str, ...]
    queries_en: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/blog/{self.slug}"


BLOG: tuple[BlogPost, ...] = (
    BlogPost(
        "come-regolare-la-sedia-da-ufficio",
        "Come regolare la sedia da ufficio in 5 passi",
        "chairs",
        ("come regolare la sedia da ufficio", "altezza sedia scrivania", "regolazione sedia ergonomica"),
        ("how to adjust office chair", "office chair height"),
    ),
    BlogPost(
        "postura-corretta-alla-scrivania",
        "Postura corretta alla scrivania: la guida",
        "chairs",
        ("postura corretta scrivania", "postura corretta al computer", "come sedersi correttamente"),
        ("correct sitting posture", "desk posture"),
    ),
    BlogPost(
        "scrivania-in-piedi-benefici",
        "Scrivania in piedi: benefici reali e falsi miti",
        "desks",
        ("scrivania in piedi benefici", "lavorare in piedi", "standing desk opinioni"),
        ("standing desk benefits", "is a standing desk worth it"),
    ),
    BlogPost(
        "postazione-smart-working-a-casa",
        "La postazione smart working perfetta a casa",
        "desks",
        ("postazione smart working", "scrivania smart working", "ufficio in casa idee"),
        ("home office setup", "work from home desk setup"),
    ),
    BlogPost(
        "mal-di-schiena-in-ufficio",
        "Mal di schiena in ufficio: cause e rimedi",
        "chairs",
        ("mal di schiena sedia ufficio", "sedia per mal di schiena", "lombalgia lavoro ufficio"),
        ("back pain office chair", "lower back pain desk job"),
    ),
    BlogPost(
        "illuminazione-ufficio-guida",
        "Illuminazione dell'ufficio: quanti lux servono",
        "lighting",
        ("illuminazione ufficio lux", "lampada scrivania per occhi", "luce naturale ufficio"),
        ("desk lighting guide", "best light for working"),
    ),
    BlogPost(
        "altezza-monitor-ideale",
        "A che altezza deve stare il monitor?",
        "accessories",
        ("altezza monitor", "distanza monitor occhi", "monitor ergonomia"),
        ("monitor height ergonomics", "monitor eye level"),
    ),
    BlogPost(
        "esercizi-pausa-attiva",
        "10 esercizi di pausa attiva da fare alla scrivania",
        "accessories",
        ("esercizi ufficio schiena", "esercizi alla scrivania", "pausa attiva lavoro"),
        ("desk exercises", "office stretches"),
    ),
    BlogPost(
        "rumore-open-space-soluzioni",
        "Rumore in open space: 7 soluzioni",
        "acoustics",
        ("pannelli fonoassorbenti ufficio", "rumore open space", "isolamento acustico ufficio"),
        ("open office noise", "acoustic panels office"),
    ),
    BlogPost(
        "ergonomia-videoterminalisti-dlgs-81",
        "Videoterminalisti e D.Lgs. 81/08: cosa prevede la legge",
        "services",
        (
            "ergonomia d.lgs 81/08 videoterminalisti",
            "postazione videoterminale requisiti",
            "valutazione rischi postazione pc",
        ),
        ("display screen equipment regulations", "workstation assessment"),
    ),
    BlogPost(
        "guida-scelta-sedia-ergonomica",
        "Come scegliere una sedia ergonomica",
        "chairs",
        ("migliore sedia ergonomica", "sedia ergonomica quale scegliere", "sedia ergonomica economica"),
        ("best ergonomic chair", "how to choose an ergonomic chair"),
    ),
    BlogPost(
        "idee-regalo-per-chi-lavora-da-casa",
        "Idee regalo per chi lavora da casa",
        "accessories",
        ("idee regalo ufficio", "regalo smart working", "regali per colleghi"),
        ("office gift ideas", "gifts for remote workers"),
    ),
    BlogPost(
        "ritorno-in-ufficio-checklist",
        "Ritorno in ufficio: la checklist",
        "services",
        ("ritorno in ufficio", "organizzare ufficio ibrido"),
        ("back to office checklist", "hybrid office planning"),
    ),
    BlogPost(
        "sgabello-in-ginocchio-funziona",
        "Lo sgabello in ginocchio funziona davvero?",
        "chairs",
        ("sgabello in ginocchio", "sedia svedese opinioni", "sedia kneeling"),
        ("kneeling chair benefits", "do kneeling chairs work"),
    ),
    BlogPost(
        "lavoro-ibrido-spazi-ufficio",
        "Lavoro ibrido: ripensare gli spazi dell'ufficio",
        "acoustics",
        ("lavoro ibrido spazi", "phone booth ufficio", "hot desking"),
        ("hybrid work office design", "office phone booth"),
    ),
    BlogPost(
        "scrivania-cameretta-studio",
        "La scrivania giusta per studiare",
        "desks",
        ("scrivania per studiare", "sedia per studenti", "cameretta studio ragazzi"),
        ("desk for students", "study desk setup"),
    ),
    BlogPost(
        "bonus-mobili-guida",
        "Bonus mobili: come funziona per gli arredi da ufficio",
        "desks",
        ("bonus mobili", "bonus mobili scrivania", "detrazione arredi"),
        ("italy furniture bonus",),
    ),
    BlogPost(
        "cable-management-scrivania",
        "Cable management: una scrivania senza cavi a vista",
        "accessories",
        ("come nascondere i cavi scrivania", "passacavi scrivania", "cable management"),
        ("cable management desk", "hide desk cables"),
    ),
    BlogPost(
        "tecnica-del-pomodoro",
        "Tecnica del pomodoro e pause: la produttività sana",
        "lighting",
        ("tecnica del pomodoro", "pause lavoro pc ogni quanto"),
        ("pomodoro technique", "how often to take breaks"),
    ),
    BlogPost(
        "lampada-luce-naturale-inverno",
        "Luce naturale in inverno: le lampade che aiutano",
        "lighting",
        ("lampada luce naturale", "lampada luce solare inverno"),
        ("daylight lamp", "light therapy lamp"),
    ),
)

BRAND_QUERIES_IT = (
    "ergonova",
    "ergonova sedie",
    "ergonova opinioni",
    "ergonova codice sconto",
    "ergonova scrivania",
    "ergonova recensioni",
    "ergonova spedizione",
    "www.ergonova.it",
)
BRAND_QUERIES_EN = (
    "ergonova",
    "ergonova reviews",
    "ergonova chair",
    "ergonova standing desk",
    "ergonova discount code",
)
CATEGORY_QUERIES_IT = {
    "chairs": (
        "sedia ergonomica",
        "sedia ergonomica ufficio",
        "sedia da ufficio",
        "sedia ufficio comoda",
        "sedia ergonomica mal di schiena",
        "sgabello ergonomico",
        "sedia da scrivania",
    ),
    "desks": (
        "scrivania regolabile in altezza",
        "scrivania elettrica",
        "standing desk",
        "scrivania angolare",
        "scrivania ufficio",
        "rialzo scrivania",
    ),
    "lighting": ("lampada da scrivania led", "lampada ufficio", "lampada scrivania", "barra led monitor"),
    "accessories": (
        "braccio monitor",
        "supporto monitor doppio",
        "poggiapiedi ufficio",
        "supporto pc portatile",
        "poggiapolsi",
        "cuscino lombare",
    ),
    "acoustics": ("pannelli fonoassorbenti", "phone booth ufficio", "divisorio scrivania"),
    "textiles": ("cuscino seduta sedia", "coprisedia", "tappeto ufficio"),
    "services": ("valutazione ergonomica postazioni", "formazione ergonomia aziende"),
}
CATEGORY_QUERIES_EN = {
    "chairs": ("ergonomic office chair", "ergonomic chair", "office chair", "kneeling chair", "saddle stool"),
    "desks": ("standing desk", "adjustable standing desk", "electric desk", "desk converter"),
    "lighting": ("desk lamp", "led desk lamp", "monitor light bar"),
    "accessories": ("monitor arm", "dual monitor arm", "laptop stand", "footrest for desk"),
    "acoustics": ("acoustic panels", "office phone booth"),
    "textiles": ("seat cushion", "chair cushion"),
    "services": ("workplace ergonomic assessment",),
}

# Website pages (path -> Italian page title).
STATIC_PAGES = {
    "/": "Ergonova | Arredi ergonomici per casa e ufficio",
    "/pricing": "Ergonova for Business | Piani e prezzi",
    "/contact": "Contatti | Ergonova",
    "/events": "Eventi e webinar | Ergonova",
    "/account/login": "Accedi | Ergonova",
    "/account/signup": "Crea il tuo account | Ergonova",
    "/cart": "Carrello | Ergonova",
    "/checkout": "Checkout | Ergonova",
    "/checkout/thank-you": "Grazie per il tuo ordine | Ergonova",
    "/blog": "Blog | Ergonova",
    "/business": "Soluzioni per aziende | Ergonova",
}


def page_title(path: str) -> str:
    if path in STATIC_PAGES:
        return STATIC_PAGES[path]
    if path.startswith("/products/"):
        p = PRODUCT_BY_SKU.get(path.rsplit("/", 1)[1].upper())
        return f"{p.name_it} | {BRAND}" if p else BRAND
    if path.startswith("/shop/"):
        return f"{CATEGORY_IT.get(path[6:], 'Shop')} | {BRAND}"
    if path.startswith("/blog/"):
        slug = path[6:]
        for b in BLOG:
            if b.slug == slug:
                return f"{b.title} | Blog {BRAND}"
    if path.startswith("/events/"):
        return f"Evento | {BRAND}"
    return BRAND


CATEGORY_PATHS = tuple(f"/shop/{c}" for c in CATEGORIES)
PRODUCTS_BY_CATEGORY: dict[str, tuple[Product, ...]] = {
    c: tuple(p for p in PRODUCTS if p.category == c) for c in CATEGORIES
}
