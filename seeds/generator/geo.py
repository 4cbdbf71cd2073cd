"""Countries, cities (local and English names), currencies and phone numbering."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name_local: str  # as people type it (CRM, orders): Milano
    name_en: str  # as GA4 reports it: Milan
    region_en: str
    weight: float


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    alpha3: str
    name_en: str
    continent: str
    weight: float  # share of the population
    currency: str  # presentment currency in the shop
    calling_code: str
    italian_speakers: float  # share of residents browsing in Italian
    browser_language: str
    vat_rate: float  # VAT included in shop prices for this billing country
    cities: tuple[City, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "IT",
        "ita",
        "Italy",
        "Europe",
        0.70,
        "EUR",
        "39",
        1.0,
        "it-it",
        0.22,
        (
            City("Milano", "Milan", "Lombardy", 14),
            City("Roma", "Rome", "Lazio", 13),
            City("Torino", "Turin", "Piedmont", 7),
            City("Napoli", "Naples", "Campania", 7),
            City("Bologna", "Bologna", "Emilia-Romagna", 5),
            City("Firenze", "Florence", "Tuscany", 5),
            City("Bergamo", "Bergamo", "Lombardy", 3),
            City("Brescia", "Brescia", "Lombardy", 3),
            City("Monza", "Monza", "Lombardy", 2.5),
            City("Verona", "Verona", "Veneto", 3),
            City("Padova", "Padua", "Veneto", 3),
            City("Venezia", "Venice", "Veneto", 2.5),
            City("Genova", "Genoa", "Liguria", 3.5),
            City("Bari", "Bari", "Apulia", 3.5),
            City("Palermo", "Palermo", "Sicily", 3.5),
            City("Catania", "Catania", "Sicily", 2.5),
            City("Parma", "Parma", "Emilia-Romagna", 2),
            City("Modena", "Modena", "Emilia-Romagna", 2),
            City("Trieste", "Trieste", "Friuli-Venezia Giulia", 1.5),
            City("Cagliari", "Cagliari", "Sardinia", 1.5),
            City("Perugia", "Perugia", "Umbria", 1.2),
            City("Pescara", "Pescara", "Abruzzo", 1.2),
            City("Trento", "Trento", "Trentino-Alto Adige", 1.2),
            City("Ancona", "Ancona", "Marche", 1.2),
            City("Lecce", "Lecce", "Apulia", 1),
            City("Varese", "Varese", "Lombardy", 1.5),
        ),
    ),
    Country(
        "GB",
        "gbr",
        "United Kingdom",
        "Europe",
        0.08,
        "GBP",
        "44",
        0.08,
        "en-gb",
        0.0,
        (
            City("London", "London", "England", 10),
            City("Manchester", "Manchester", "England", 3),
            City("Birmingham", "Birmingham", "England", 2.5),
            City("Edinburgh", "Edinburgh", "Scotland", 2),
            City("Bristol", "Bristol", "England", 1.5),
            City("Leeds", "Leeds", "England", 1.5),
        ),
    ),
    Country(
        "US",
        "usa",
        "United States",
        "Americas",
        0.06,
        "USD",
        "1",
        0.06,
        "en-us",
        0.0,
        (
            City("New York", "New York", "New York", 8),
            City("San Francisco", "San Francisco", "California", 3),
            City("Los Angeles", "Los Angeles", "California", 3),
            City("Chicago", "Chicago", "Illinois", 3),
            City("Boston", "Boston", "Massachusetts", 2),
            City("Miami", "Miami", "Florida", 2),
        ),
    ),
    Country(
        "DE",
        "deu",
        "Germany",
        "Europe",
        0.05,
        "EUR",
        "49",
        0.10,
        "de-de",
        0.19,
        (
            City("München", "Munich", "Bavaria", 4),
            City("Berlin", "Berlin", "Berlin", 4),
            City("Hamburg", "Hamburg", "Hamburg", 2.5),
            City("Frankfurt am Main", "Frankfurt", "Hesse", 2),
            City("Stuttgart", "Stuttgart", "Baden-Wurttemberg", 2),
        ),
    ),
    Country(
        "FR",
        "fra",
        "France",
        "Europe",
        0.04,
        "EUR",
        "33",
        0.08,
        "fr-fr",
        0.20,
        (
            City("Paris", "Paris", "Ile-de-France", 6),
            City("Lyon", "Lyon", "Auvergne-Rhone-Alpes", 2),
            City("Nice", "Nice", "Provence-Alpes-Cote d'Azur", 1.5),
            City("Marseille", "Marseille", "Provence-Alpes-Cote d'Azur", 1.5),
        ),
    ),
    Country(
        "ES",
        "esp",
        "Spain",
        "Europe",
        0.04,
        "EUR",
        "34",
        0.08,
        "es-es",
        0.21,
        (
            City("Madrid", "Madrid", "Community of Madrid", 5),
            City("Barcelona", "Barcelona", "Catalonia", 4),
            City("Valencia", "Valencia", "Valencian Community", 1.5),
            City("Sevilla", "Seville", "Andalusia", 1.2),
        ),
    ),
    Country(
        "CH",
        "che",
        "Switzerland",
        "Europe",
        0.03,
        "CHF",
        "41",
        0.45,
        "de-ch",
        0.081,
        (
            City("Zürich", "Zurich", "Zurich", 4),
            City("Genève", "Geneva", "Geneva", 2.5),
            City("Lugano", "Lugano", "Ticino", 2.5),
            City("Basel", "Basel", "Basel-City", 1.5),
            City("Bern", "Bern", "Bern", 1.5),
        ),
    ),
)

COUNTRY_BY_CODE = {c.code: c for c in COUNTRIES}

# Presentment currencies the shop supports and their reference value in EUR at the
# start of the window (the daily table random-walks from here).
FX_START = (("EUR", 1.0), ("GBP", 1.165), ("USD", 0.862), ("CHF", 1.072))


def phone_nsn(country: str, digits: str) -> str:
    """National significant number for a mobile line, from a string of random digits."""
    if country == "IT":
        return "3" + "2345679"[int(digits[0]) % 7] + digits[1:9]  # 3xx + 7 digits = 10
    if country == "GB":
        return "7" + "45789"[int(digits[0]) % 5] + digits[1:9]  # 10 digits
    if country == "US":
        return "2345678"[int(digits[0]) % 7] + digits[1:3] + "5" + digits[3:9]  # 10 digits
    if country == "DE":
        return "1" + "567"[int(digits[0]) % 3] + digits[1:10]  # 11 digits
    if country in ("FR", "ES"):
        return "6" + digits[1:9]  # 9 digits
    if country == "CH":
        return "7" + "5689"[int(digits[0]) % 4] + digits[1:8]  # 9 digits
    raise ValueError(country)


def phone_formats(country: str, nsn: str) -> tuple[str, ...]:
    """The ways people type one number (international and national forms)."""
    cc = COUNTRY_BY_CODE[country].calling_code
    n = nsn
    if country == "IT":
        return (
            f"+39 {n[:3]} {n[3:6]} {n[6:]}",
            n,
            f"0039 {n[:3]} {n[3:]}",
            f"{n[:3]}-{n[3:6]}-{n[6:]}",
            f"+39{n}",
            f"+39 {n}",
            f"{n[:3]} {n[3:]}",
        )
    if country == "GB":
        return (f"+44 {n[:4]} {n[4:]}", f"0{n[:4]} {n[4:]}", f"0{n}", f"+44{n}", f"+44 (0){n[:4]} {n[4:]}")
    if country == "US":
        return (
            f"+1 ({n[:3]}) {n[3:6]}-{n[6:]}",
            f"({n[:3]}) {n[3:6]}-{n[6:]}",
            f"{n[:3]}-{n[3:6]}-{n[6:]}",
            f"+1{n}",
            f"{n[:3]}.{n[3:6]}.{n[6:]}",
        )
    if country == "DE":
        return (f"+49 {n[:3]} {n[3:]}", f"0{n[:3]} {n[3:]}", f"0049 {n[:3]} {n[3:]}", f"+49{n}")
    if country == "FR":
        return (
            f"+33 {n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:]}",
            f"0{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:]}",
            f"0{n}",
            f"+33{n}",
        )
    if country == "ES":
        return (f"+34 {n[:3]} {n[3:6]} {n[6:]}", n, f"0034 {n}", f"+34{n}")
    if country == "CH":
        return (f"+41 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", f"0{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", f"0041 {n}", f"+41{n}")
    return (f"+{cc}{n}",)


# Relative weights of the formats above (the first, international spaced form, is common).
PHONE_FORMAT_WEIGHTS = {
    "IT": (0.30, 0.30, 0.08, 0.08, 0.12, 0.06, 0.06),
    "GB": (0.35, 0.30, 0.15, 0.15, 0.05),
    "US": (0.25, 0.30, 0.25, 0.15, 0.05),
    "DE": (0.40, 0.35, 0.10, 0.15),
    "FR": (0.35, 0.40, 0.10, 0.15),
    "ES": (0.40, 0.30, 0.10, 0.20),
    "CH": (0.40, 0.35, 0.10, 0.15),
}
