"""Free text in Italian and English from a combinatorial template grammar.

Reviews, NPS verbatims, social comments and mentions are assembled from
openings x aspect sentences (with gender/number agreement in Italian) x
contrasts x negations x questions x factual statements x closings, with
occasional emoji and typos, so the corpus is varied and its sentiment follows
the rating / score / experience passed in. Also post copy, email subjects,
SMS texts and event titles.
"""

from __future__ import annotations

import random

POS, NEU, NEG, MIX = "positive", "neutral", "negative", "mixed"

# ---------------------------------------------------------------- Italian vocabulary
# aspect -> (noun phrase, gender m/f, number s/p)
ASPECTS_IT: dict[str, tuple[tuple[str, str, str], ...]] = {
    "quality": (
        ("la qualità", "f", "s"),
        ("la qualità dei materiali", "f", "s"),
        ("la fattura", "f", "s"),
        ("la struttura", "f", "s"),
        ("i materiali", "m", "p"),
    ),
    "comfort": (
        ("la comodità", "f", "s"),
        ("la seduta", "f", "s"),
        ("lo schienale", "m", "s"),
        ("il supporto lombare", "m", "s"),
        ("i braccioli", "m", "p"),
    ),
    "price": (("il prezzo", "m", "s"), ("il rapporto qualità-prezzo", "m", "s"), ("lo sconto", "m", "s")),
    "delivery": (
        ("la consegna", "f", "s"),
        ("la spedizione", "f", "s"),
        ("i tempi di consegna", "m", "p"),
        ("il corriere", "m", "s"),
    ),
    "service": (
        ("l'assistenza clienti", "f", "s"),
        ("il servizio clienti", "m", "s"),
        ("il supporto", "m", "s"),
        ("la gestione del reso", "f", "s"),
    ),
    "assembly": (("il montaggio", "m", "s"), ("le istruzioni di montaggio", "f", "p")),
    "packaging": (("l'imballaggio", "m", "s"), ("la confezione", "f", "s")),
    "design": (("il design", "m", "s"), ("il colore", "m", "s"), ("le finiture", "f", "p"), ("l'estetica", "f", "s")),
    "website": (("il sito", "m", "s"), ("il checkout", "m", "s"), ("l'app", "f", "s")),
}
ADJ_IT = {
    POS: (
        ("ottimo", "ottima", "ottimi", "ottime"),
        ("eccellente", "eccellente", "eccellenti", "eccellenti"),
        ("perfetto", "perfetta", "perfetti", "perfette"),
        ("impeccabile", "impeccabile", "impeccabili", "impeccabili"),
        ("fantastico", "fantastica", "fantastici", "fantastiche"),
        ("molto buono", "molto buona", "molto buoni", "molto buone"),
        ("super", "super", "super", "super"),
        ("curatissimo", "curatissima", "curatissimi", "curatissime"),
        ("sopra le aspettative", "sopra le aspettative", "sopra le aspettative", "sopra le aspettative"),
    ),
    NEU: (
        ("nella media", "nella media", "nella media", "nella media"),
        ("accettabile", "accettabile", "accettabili", "accettabili"),
        ("normale", "normale", "normali", "normali"),
        ("discreto", "discreta", "discreti", "discrete"),
        ("nella norma", "nella norma", "nella norma", "nella norma"),
        ("così così", "così così", "così così", "così così"),
    ),
    NEG: (
        ("pessimo", "pessima", "pessimi", "pessime"),
        ("deludente", "deludente", "deludenti", "deludenti"),
        ("scadente", "scadente", "scadenti", "scadenti"),
        ("disastroso", "disastrosa", "disastrosi", "disastrose"),
        ("inaccettabile", "inaccettabile", "inaccettabili", "inaccettabili"),
        ("sotto le aspettative", "sotto le aspettative", "sotto le aspettative", "sotto le aspettative"),
    ),
}
INTENS_IT = ("", "", "davvero ", "proprio ", "decisamente ", "veramente ", "piuttosto ")
OPEN_IT = {
    POS: (
        "",
        "",
        "",
        "Allora,",
        "Che dire,",
        "Sinceramente",
        "Devo dire che",
        "Dopo {n} settimane di utilizzo:",
        "Secondo ordine su questo sito.",
        "Recensione onesta:",
        "Premetto che lavoro 8 ore al pc:",
        "Acquisto azzeccato.",
    ),
    NEU: ("", "", "Allora,", "Dopo {n} settimane:", "Recensione onesta:", "In generale", "Per ora", "Premetto che"),
    NEG: (
        "",
        "",
        "Purtroppo",
        "Sinceramente",
        "Dopo {n} settimane:",
        "Premetto che ero un cliente soddisfatto, ma",
        "Recensione onesta:",
        "Peccato,",
    ),
}
CLOSE_IT = {
    POS: (
        "",
        "",
        "Consigliato!",
        "Lo consiglio.",
        "Lo ricomprerei.",
        "Grazie!",
        "5 stelle meritate.",
        "Consigliatissimo.",
        "Bravi!",
        "Ordinerò ancora.",
    ),
    NEU: (
        "",
        "",
        "Vedremo nel tempo.",
        "Fa il suo lavoro.",
        "Niente di speciale.",
        "Si può migliorare.",
        "Nel complesso ok.",
    ),
    NEG: (
        "",
        "Mai più.",
        "Sconsigliato.",
        "Peccato.",
        "Non lo ricomprerei.",
        "Molto deluso.",
        "Che delusione.",
        "Aspetto ancora una risposta.",
    ),
}
QUESTIONS_IT = (
    "Qualcuno sa se arriva già montata?",
    "Fate spedizioni in Svizzera?",
    "Quando torna disponibile {product}?",
    "C'è un codice sconto per il {campaign}?",
    "Come si regola l'altezza dei braccioli?",
    "Avete uno showroom a {city}?",
    "Si può pagare a rate?",
    "È adatta a una persona alta 1,90?",
    "Quanto tempo ci vuole per la consegna a {city}?",
    "Ci sono altri colori disponibili?",
    "Vale anche per le aziende con fattura?",
    "Dove si compra?",
    "Il reso è gratuito?",
)
FACTS_IT = (
    "Ordinato {d1}, arrivato {d2}.",
    "Uso {product} da {n} settimane.",
    "Ho preso {product} per lo smart working.",
    "Comprata per l'ufficio di casa.",
    "L'ho regalata a mia moglie.",
    "Ordine per 4 postazioni in ufficio.",
    "Preso con lo sconto del {campaign}.",
    "Montaggio in circa {m} minuti.",
    "Consegna con {courier}.",
)
NEG_PHRASES_IT = {
    POS: (
        "Non male {aspect}!",
        "{Aspect} non {verb} affatto male.",
        "Non ho nulla da ridire su {aspect_art}.",
        "Non mi aspettavo {aspect} così {adj}.",
    ),
    NEG: (
        "Non mi {verb2} piaciut{o} {aspect}.",
        "{Aspect} non {verb} all'altezza.",
        "{Aspect} non {verb} il massimo.",
        "Non ci siamo con {aspect_art}.",
        "Non consiglio {product}.",
    ),
    NEU: (
        "{Aspect} non {verb} niente di che.",
        "Non è male ma nemmeno eccezionale.",
        "Non so ancora dire se ne valga la pena.",
    ),
}
CONTRAST_IT = (
    "Bello ma troppo caro.",
    "Comoda ma il montaggio è stato un incubo.",
    "Prodotto ottimo, peccato per la consegna lenta.",
    "Bella la sedia, meno il servizio clienti.",
    "Qualità top però il prezzo è alto.",
)
DAYS_IT = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato")
COURIERS = ("BRT", "GLS", "DHL", "SDA", "UPS")

# ---------------------------------------------------------------- English vocabulary
ASPECTS_EN: dict[str, tuple[tuple[str, bool], ...]] = {  # (noun phrase, plural)
    "quality": (("the quality", False), ("the build quality", False), ("the materials", True), ("the frame", False)),
    "comfort": (
        ("the comfort", False),
        ("the seat", False),
        ("the backrest", False),
        ("the lumbar support", False),
        ("the armrests", True),
    ),
    "price": (("the price", False), ("the value for money", False), ("the discount", False)),
    "delivery": (
        ("the delivery", False),
        ("the shipping", False),
        ("the delivery times", True),
        ("the courier", False),
    ),
    "service": (("customer service", False), ("the support team", False), ("the returns process", False)),
    "assembly": (("the assembly", False), ("the assembly instructions", True)),
    "packaging": (("the packaging", False),),
    "design": (("the design", False), ("the colour", False), ("the finish", False), ("the look", False)),
    "website": (("the website", False), ("the checkout", False), ("the app", False)),
}
ADJ_EN = {
    POS: (
        "excellent",
        "great",
        "really good",
        "perfect",
        "top notch",
        "spot on",
        "superb",
        "outstanding",
        "better than expected",
        "brilliant",
    ),
    NEU: ("ok", "average", "decent", "fine", "as expected", "acceptable", "nothing special"),
    NEG: ("poor", "disappointing", "terrible", "awful", "not acceptable", "a joke", "worse than expected", "sloppy"),
}
INTENS_EN = ("", "", "really ", "genuinely ", "honestly ", "very ")
OPEN_EN = {
    POS: (
        "",
        "",
        "",
        "Honestly,",
        "After {n} weeks of use:",
        "Second order from this shop.",
        "Quick review:",
        "I work from home 5 days a week and",
        "Well,",
        "Love it.",
    ),
    NEU: ("", "", "After {n} weeks:", "Quick review:", "Overall,", "So far", "To be fair,"),
    NEG: ("", "", "Unfortunately", "Honestly,", "After {n} weeks:", "I used to like this brand, but", "Quick review:"),
}
CLOSE_EN = {
    POS: ("", "", "Highly recommended!", "Would buy again.", "Thanks!", "5 stars.", "Recommended.", "Well done!"),
    NEU: ("", "", "Time will tell.", "Does the job.", "Nothing special.", "Could be better.", "Overall ok."),
    NEG: (
        "",
        "Never again.",
        "Avoid.",
        "Shame.",
        "Would not buy again.",
        "Very disappointed.",
        "Still waiting for an answer.",
    ),
}
QUESTIONS_EN = (
    "Do you ship to {country}?",
    "When will {product} be back in stock?",
    "Is there a discount code for {campaign}?",
    "Does the chair come assembled?",
    "Is it suitable for someone 6'3\"?",
    "Do you have a showroom in {city}?",
    "Can I pay in instalments?",
    "How long does delivery to {city} take?",
    "Are there other colours?",
    "Do you invoice companies?",
    "Where can I buy it?",
    "Are returns free?",
)
FACTS_EN = (
    "Ordered on {d1}, arrived on {d2}.",
    "Been using {product} for {n} weeks.",
    "Bought {product} for my home office.",
    "Got it for my partner.",
    "Ordered for 4 desks at the office.",
    "Bought with the {campaign} discount.",
    "Assembly took about {m} minutes.",
    "Delivered by {courier}.",
)
NEG_PHRASES_EN = {
    POS: (
        "Not bad at all!",
        "{Aspect} is not bad at all.",
        "Can't complain about {aspect}.",
        "Didn't expect {aspect} to be this {adj}.",
    ),
    NEG: (
        "Didn't like {aspect}.",
        "{Aspect} is not up to standard.",
        "{Aspect} is not great.",
        "Wouldn't recommend {product}.",
        "Not happy with {aspect} at all.",
    ),
    NEU: ("{Aspect} is neither good nor bad.", "Not bad, not amazing either.", "Not sure yet if it was worth it."),
}
CONTRAST_EN = (
    "Great product but slow delivery.",
    "Comfortable but way too expensive.",
    "Nice chair, shame about customer service.",
    "Good quality, but the assembly instructions are useless.",
    "Looks great but the seat is too firm.",
)
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

EMOJI = {POS: ("😍", "👍", "🙂", "👏", "✨", "💪", "🔝"), NEU: ("🤔", "🙂", "😐"), NEG: ("😡", "👎", "😞", "🙄")}

TITLES = {
    "it": {
        POS: (
            "Ottimo acquisto",
            "Top!",
            "Comodissima",
            "Consigliata",
            "Soddisfatto",
            "Perfetta per lo smart working",
            "Qualità eccellente",
            "Finalmente niente mal di schiena",
            "Bellissima",
            "Ottimo servizio",
        ),
        NEU: ("Nella media", "Ok", "Fa il suo lavoro", "Buona ma migliorabile", "Così così", "Niente di speciale"),
        NEG: (
            "Deluso",
            "Consegna in ritardo",
            "Da evitare",
            "Pessima esperienza",
            "Arrivata danneggiata",
            "Non come descritto",
            "Assistenza assente",
        ),
        MIX: ("Bella ma cara", "Prodotto buono, consegna no", "Pro e contro", "Quasi perfetta"),
    },
    "en": {
        POS: (
            "Great purchase",
            "Love it",
            "Very comfortable",
            "Highly recommended",
            "Perfect for WFH",
            "Excellent quality",
            "No more back pain",
            "Beautiful",
            "Great service",
        ),
        NEU: ("Average", "Ok", "Does the job", "Good but could be better", "Nothing special"),
        NEG: (
            "Disappointed",
            "Late delivery",
            "Avoid",
            "Terrible experience",
            "Arrived damaged",
            "Not as described",
            "No customer support",
        ),
        MIX: ("Nice but pricey", "Good product, bad delivery", "Pros and cons", "Almost perfect"),
    },
}

ISSUE_ASPECT = {
    "late": "delivery",
    "damaged": "packaging",
    "refund": "service",
    "not_as_described": "quality",
    "wrong_size": "comfort",
    "changed_mind": "design",
}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _form(gender: str, number: str) -> int:
    return {"ms": 0, "fs": 1, "mp": 2, "fp": 3}[gender + number]


class TextGen:
    """Generates texts with its own random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    # ---------------------------------------------------------------- helpers
    def _fill(self, s: str, ctx: dict[str, str]) -> str:
        r = self.r
        vals = {
            "n": str(r.randint(2, 12)),
            "m": str(r.choice((20, 30, 40, 45, 60, 90))),
            "courier": r.choice(COURIERS),
            "product": ctx.get("product", "la sedia"),
            "campaign": ctx.get("campaign", "Black Friday"),
            "city": ctx.get("city", "Milano"),
            "country": ctx.get("country", "Switzerland"),
        }
        if "{d1}" in s:
            a = r.randint(0, 3)
            b = min(a + r.randint(1, 6), 5)
            days = DAYS_IT if ctx.get("lang") == "it" else DAYS_EN
            vals["d1"], vals["d2"] = days[a], days[b]
        for k, v in vals.items():
            s = s.replace("{" + k + "}", v)
        return s

    def typo(self, s: str, p: float = 0.08) -> str:
        r = self.r
        if r.random() >= p or len(s) < 12:
            return s
        words = s.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if not idx:
            return s
        i = r.choice(idx)
        w = words[i]
        j = r.randint(1, len(w) - 2)
        kind = r.random()
        if kind < 0.4:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        elif kind < 0.7:
            w = w[:j] + w[j + 1 :]
        else:
            w = w[:j] + w[j] + w[j:]
        words[i] = w
        out = " ".join(words)
        if r.random() < 0.3:
            out = out.lower()
        return out

    def _emoji(self, sentiment: str, p: float) -> str:
        if self.r.random() < p:
            pool = EMOJI[NEU if sentiment == MIX else sentiment]
            return " " + self.r.choice(pool) * (2 if self.r.random() < 0.2 else 1)
        return ""

    # ---------------------------------------------------------------- aspect sentences
    def _aspect_sentence_it(self, aspect: str, sentiment: str, ctx: dict[str, str]) -> str:
        r = self.r
        np_, g, n = r.choice(ASPECTS_IT[aspect])
        verb = "è" if n == "s" else "sono"
        adj = r.choice(ADJ_IT[sentiment])[_form(g, n)]
        style = r.random()
        if sentiment in NEG_PHRASES_IT and style < 0.22:
            t = r.choice(NEG_PHRASES_IT[sentiment])
            ending = {"ms": "o", "fs": "a", "mp": "i", "fp": "e"}[g + n]
            t = (
                t.replace("{Aspect}", _cap(np_))
                .replace("{aspect_art}", np_)
                .replace("{aspect}", np_)
                .replace("{verb2}", "è" if n == "s" else "sono")
                .replace("{verb}", verb)
                .replace("{o}", ending)
                .replace("{adj}", adj)
            )
            return self._fill(t, ctx)
        if style < 0.55:
            return f"{_cap(np_)} {verb} {r.choice(INTENS_IT)}{adj}."
        if style < 0.75:
            return f"Devo dire che {np_} {verb} {r.choice(INTENS_IT)}{adj}."
        if style < 0.9:
            return f"{_cap(np_)}: {adj}."
        return f"Secondo me {np_} {verb} {adj}."

    def _aspect_sentence_en(self, aspect: str, sentiment: str, ctx: dict[str, str]) -> str:
        r = self.r
        np_, plural = r.choice(ASPECTS_EN[aspect])
        verb = "are" if plural else "is"
        adj = r.choice(ADJ_EN[sentiment])
        style = r.random()
        if sentiment in NEG_PHRASES_EN and style < 0.22:
            t = r.choice(NEG_PHRASES_EN[sentiment])
            t = t.replace("{Aspect}", _cap(np_)).replace("{aspect}", np_).replace("{adj}", adj)
            if plural:
                t = t.replace(" is ", " are ")
            return self._fill(t, ctx)
        if style < 0.55:
            return f"{_cap(np_)} {verb} {r.choice(INTENS_EN)}{adj}."
        if style < 0.75:
            return f"I have to say {np_} {verb} {r.choice(INTENS_EN)}{adj}."
        if style < 0.9:
            return f"{_cap(np_)}: {adj}."
        return f"In my opinion {np_} {verb} {adj}."

    def _sentence(self, lang: str, aspect: str, sentiment: str, ctx: dict[str, str]) -> str:
        if lang == "it":
            return self._aspect_sentence_it(aspect, sentiment, ctx)
        return self._aspect_sentence_en(aspect, sentiment, ctx)

    def _contrast(self, lang: str, pos_aspect: str, neg_aspect: str, ctx: dict[str, str]) -> str:
        r = self.r
        if r.random() < 0.35:
            return r.choice(CONTRAST_IT if lang == "it" else CONTRAST_EN)
        a = self._sentence(lang, pos_aspect, POS, ctx).rstrip(".")
        b = self._sentence(lang, neg_aspect, NEG, ctx)
        b = b[:1].lower() + b[1:]
        if lang == "it":
            joiner = r.choice((" ma ", ", però ", ", peccato che ", "; purtroppo "))
        else:
            joiner = r.choice((" but ", ", however ", ", shame that ", "; unfortunately "))
        return a + joiner + b

    def _assemble(
        self,
        lang: str,
        sentiment: str,
        aspects: list[str],
        ctx: dict[str, str],
        *,
        max_sent: int = 3,
        questions: bool = False,
    ) -> str:
        r = self.r
        ctx = dict(ctx, lang=lang)
        base = NEU if sentiment == MIX else sentiment
        parts: list[str] = []
        opening = self._fill(r.choice((OPEN_IT if lang == "it" else OPEN_EN)[base]), ctx)
        if opening:
            parts.append(opening)
        n = r.randint(1, max_sent)
        if sentiment == MIX:
            good = r.choice([a for a in aspects if a not in ("delivery", "service", "price")] or ["quality"])
            bad = r.choice([a for a in aspects if a != good] or ["price"])
            parts.append(self._contrast(lang, good, bad, ctx))
            n -= 1
        for _ in range(max(n, 0 if parts else 1)):
            asp = r.choice(aspects)
            s = sentiment if sentiment != MIX else NEU
            parts.append(self._sentence(lang, asp, s, ctx))
        if r.random() < 0.25:
            parts.append(self._fill(r.choice(FACTS_IT if lang == "it" else FACTS_EN), ctx))
        if questions and r.random() < 0.3:
            parts.append(self._fill(r.choice(QUESTIONS_IT if lang == "it" else QUESTIONS_EN), ctx))
        closing = r.choice((CLOSE_IT if lang == "it" else CLOSE_EN)[base])
        if closing:
            parts.append(closing)
        text = " ".join(p for p in parts if p)
        if opening and opening[-1] not in ".!" and len(parts) > 1:
            # "Sinceramente la seduta è ottima." -> lower-case the following sentence
            first, rest = parts[0], " ".join(parts[1:])
            text = first + " " + rest[:1].lower() + rest[1:]
        text += self._emoji(sentiment, 0.18)
        return self.typo(text)

    # ---------------------------------------------------------------- public API
    @staticmethod
    def sentiment_for_rating(rng: random.Random, rating: int) -> str:
        table = {
            5: ((POS, 0.9), (MIX, 0.1)),
            4: ((POS, 0.62), (MIX, 0.3), (NEU, 0.08)),
            3: ((MIX, 0.45), (NEU, 0.35), (NEG, 0.2)),
            2: ((NEG, 0.7), (MIX, 0.3)),
            1: ((NEG, 0.95), (MIX, 0.05)),
        }
        opts = table[rating]
        return rng.choices([o for o, _ in opts], [w for _, w in opts])[0]

    def review(
        self, lang: str, rating: int, category: str, issues: tuple[str, ...], product: str, ctx: dict[str, str]
    ) -> tuple[str, str]:
        r = self.r
        sentiment = self.sentiment_for_rating(r, rating)
        aspects = (
            ["quality", "comfort", "design", "price"]
            if category in ("chairs", "textiles")
            else ["quality", "design", "price", "assembly"]
        )
        for iss in issues:
            aspects.append(ISSUE_ASPECT.get(iss, "service"))
        if sentiment in (NEG, MIX) and issues:
            aspects = [ISSUE_ASPECT.get(issues[0], "service")] * 2 + aspects
        ctx = dict(ctx, product=product)
        body = self._assemble(lang, sentiment, aspects, ctx, max_sent=3)
        title = r.choice(TITLES[lang][sentiment])
        if r.random() < 0.1:
            title = title.upper() if r.random() < 0.3 else title.lower()
        return title, body

    def nps(self, lang: str, score: int, issues: tuple[str, ...], ctx: dict[str, str]) -> str:
        r = self.r
        if score >= 9:
            sentiment = POS if r.random() < 0.85 else MIX
        elif score >= 7:
            sentiment = r.choices((NEU, MIX, POS), (0.45, 0.4, 0.15))[0]
        else:
            sentiment = NEG if r.random() < 0.75 else MIX
        aspects = ["quality", "service", "delivery", "price", "website"]
        if issues:
            aspects = [ISSUE_ASPECT.get(i, "service") for i in issues] * 2 + aspects
        return self._assemble(lang, sentiment, aspects, ctx, max_sent=2)

    def comment(self, lang: str, sentiment: str, ctx: dict[str, str]) -> str:
        r = self.r
        x = r.random()
        if sentiment == "question" or (sentiment == NEU and x < 0.45):
            q = self._fill(r.choice(QUESTIONS_IT if lang == "it" else QUESTIONS_EN), dict(ctx, lang=lang))
            return self.typo(q + self._emoji(NEU, 0.1))
        short = {
            "it": {
                POS: (
                    "Bellissima!",
                    "Che bella 😍",
                    "La voglio!",
                    "Ce l'ho da un anno, la adoro.",
                    "Finalmente una sedia comoda.",
                    "Top come sempre",
                    "Bravi ragazzi!",
                    "Stupenda questa collezione",
                    "Arrivata ieri, bellissima.",
                    "Non male davvero!",
                ),
                NEU: (
                    "Interessante.",
                    "Vediamo...",
                    "Carina.",
                    "Ok.",
                    "Seguo.",
                    "Non male ma preferivo il modello vecchio.",
                ),
                NEG: (
                    "Ancora aspetto il rimborso...",
                    "Ordine in ritardo da due settimane, nessuna risposta.",
                    "Prezzi troppo alti.",
                    "Non mi è piaciuta per niente.",
                    "Servizio clienti inesistente.",
                    "Arrivata rotta e nessuno risponde.",
                ),
            },
            "en": {
                POS: (
                    "Love it!",
                    "Gorgeous 😍",
                    "Need this!",
                    "Had mine for a year, love it.",
                    "Finally a comfy chair.",
                    "Great as always",
                    "Well done guys!",
                    "Stunning collection",
                    "Arrived yesterday, beautiful.",
                    "Not bad at all!",
                ),
                NEU: ("Interesting.", "Hmm.", "Nice.", "Ok.", "Following.", "Not bad but I preferred the old model."),
                NEG: (
                    "Still waiting for my refund...",
                    "Order two weeks late, no reply.",
                    "Way too expensive.",
                    "Didn't like it at all.",
                    "Customer service is non-existent.",
                    "Arrived broken and nobody answers.",
                ),
            },
        }
        s = NEU if sentiment == MIX else sentiment
        if x < 0.6:
            return self.typo(r.choice(short[lang][s]) + self._emoji(s, 0.2))
        aspects = ["design", "quality", "comfort", "price"] if s != NEG else ["delivery", "service", "price"]
        return self._assemble(lang, sentiment, aspects, ctx, max_sent=1, questions=True)

    def mention(self, lang: str, sentiment: str, ctx: dict[str, str]) -> str:
        r = self.r
        brand = r.choice(("@ergonova", "Ergonova", "#ergonova", "ergonova"))
        lead = {
            "it": {
                POS: (
                    "Nuova postazione con {b} 👌",
                    "Consiglio spassionato: {b}.",
                    "Finalmente ho preso la sedia di {b}.",
                    "Giornata in smart working con {b}.",
                ),
                NEU: (
                    "Qualcuno ha provato {b}?",
                    "Sto valutando {b} per l'ufficio.",
                    "Visto lo stand di {b} in fiera.",
                ),
                NEG: ("{b} non ci siamo.", "Esperienza negativa con {b}.", "Attenzione agli ordini su {b}."),
            },
            "en": {
                POS: (
                    "New desk setup with {b} 👌",
                    "Honest tip: {b}.",
                    "Finally got my {b} chair.",
                    "WFH day powered by {b}.",
                ),
                NEU: ("Anyone tried {b}?", "Considering {b} for the office.", "Saw the {b} booth at the fair."),
                NEG: ("Not impressed with {b}.", "Bad experience with {b}.", "Be careful ordering from {b}."),
            },
        }
        s = NEU if sentiment == MIX else sentiment
        head = r.choice(lead[lang][s]).replace("{b}", brand)
        aspects = ["design", "quality", "comfort", "price"] if s != NEG else ["delivery", "service", "quality"]
        tail = self._assemble(lang, sentiment, aspects, ctx, max_sent=1)
        return head + " " + tail

    def post(self, lang: str, platform: str, kind: str, ctx: dict[str, str]) -> str:
        r = self.r
        it = lang == "it"
        if kind == "promo":
            opts = (
                (
                    "{label}: -{pct}% su {cats} con il codice {coupon} 👉 {cta}",
                    "{label} è iniziato! Sconti fino al {pct}% 🔥 {cta}",
                    "Ultimi giorni di {label}: {cats} a prezzi speciali. Codice {coupon}.",
                )
                if it
                else (
                    "{label}: {pct}% off {cats} with code {coupon} 👉 {cta}",
                    "{label} is on! Up to {pct}% off 🔥 {cta}",
                    "Last days of {label}: special prices on {cats}. Code {coupon}.",
                )
            )
        elif kind == "webinar":
            opts = (
                (
                    "Webinar gratuito: {topic}. Iscriviti 👉 {cta}",
                    "Giovedì in diretta: {topic}. Posti limitati!",
                    'Sei un HR o facility manager? Non perdere il webinar "{topic}".',
                )
                if it
                else (
                    (
                        "Free webinar: {topic}. Register 👉 {cta}",
                        "Live on Thursday: {topic}. Limited seats!",
                        'HR or facilities manager? Don\'t miss "{topic}".',
                    )
                )
            )
        elif kind == "blog":
            opts = (
                (
                    "Nuovo articolo sul blog: {topic} 📖 {cta}",
                    "{topic}: i nostri consigli 👉 {cta}",
                    "Lo sapevi? {fact} Leggi di più sul blog.",
                )
                if it
                else (
                    "New on the blog: {topic} 📖 {cta}",
                    "{topic}: our tips 👉 {cta}",
                    "Did you know? {fact} Read more on the blog.",
                )
            )
        elif kind == "product":
            opts = (
                (
                    "Vi presentiamo {product} ✨ {benefit}",
                    "{product}: {benefit} {cta}",
                    "Il best seller del mese: {product}.",
                )
                if it
                else (
                    "Meet {product} ✨ {benefit}",
                    "{product}: {benefit} {cta}",
                    "Best seller of the month: {product}.",
                )
            )
        else:  # community / behind the scenes
            opts = (
                (
                    "La postazione di {name} 😍 Condividi la tua con #ergonova",
                    "Dietro le quinte del nostro showroom di Milano.",
                    "Buon lunedì! Come state seduti oggi? 😉",
                    "Grazie a tutti per i 5 anni insieme 🎉",
                )
                if it
                else (
                    "{name}'s desk setup 😍 Share yours with #ergonova",
                    "Behind the scenes at our Milan showroom.",
                    "Happy Monday! How are you sitting today? 😉",
                    "Thanks everyone for 5 years together 🎉",
                )
            )
        benefits_it = (
            "supporto lombare regolabile e rete traspirante.",
            "regolazione elettrica silenziosa.",
            "luce calda o fredda, come preferisci.",
            "design pulito per ogni scrivania.",
        )
        benefits_en = (
            "adjustable lumbar support and breathable mesh.",
            "whisper-quiet electric adjustment.",
            "warm or cool light, your choice.",
            "clean design for every desk.",
        )
        facts_it = (
            "Ogni 30 minuti seduti servirebbe una pausa di 2 minuti.",
            "Il monitor va posizionato all'altezza degli occhi.",
            "Bastano 500 lux per lavorare bene.",
        )
        facts_en = (
            "You should take a 2-minute break every 30 minutes.",
            "Your monitor belongs at eye level.",
            "500 lux is enough for comfortable work.",
        )
        cta = {
            "instagram": "link in bio" if it else "link in bio",
            "facebook": "ergonova.it",
            "linkedin": "ergonova.it/business",
        }[platform]
        vals = {
            "label": ctx.get("label", ""),
            "pct": ctx.get("pct", "15"),
            "cats": ctx.get("cats", ""),
            "coupon": ctx.get("coupon", ""),
            "cta": cta,
            "topic": ctx.get("topic", ""),
            "product": ctx.get("product", ""),
            "benefit": r.choice(benefits_it if it else benefits_en),
            "fact": r.choice(facts_it if it else facts_en),
            "name": ctx.get("name", "Giulia"),
        }
        text = r.choice(opts)
        for k, v in vals.items():
            text = text.replace("{" + k + "}", v)
        if platform == "instagram" and r.random() < 0.7:
            tags = ("#smartworking", "#homeoffice", "#ergonomia", "#officedesign", "#workspace", "#postazione", "#wfh")
            text += " " + " ".join(r.sample(tags, 3))
        return text

    def subject(self, lang: str, channel: str, ctx: dict[str, str]) -> str:
        r = self.r
        it = lang == "it"
        if channel == "sms":
            if it:
                return (
                    f"ERGONOVA: {ctx['label']} -{ctx['pct']}% con codice {ctx['coupon']} su ergonova.it "
                    f"Rispondi STOP per disiscriverti"
                )
            return (
                f"ERGONOVA: {ctx['label']} {ctx['pct']}% off with code {ctx['coupon']}"
                " at ergonova.it Reply STOP to opt out"
            )
        if channel == "email":
            opts = (
                (
                    "La newsletter di Ergonova: {topic}",
                    "{topic} e altre novità",
                    "Questa settimana: {topic}",
                    "☕ Il caffè del giovedì: {topic}",
                )
                if it
                else (
                    "Ergonova newsletter: {topic}",
                    "{topic} and more",
                    "This week: {topic}",
                    "☕ Thursday read: {topic}",
                )
            )
        elif ctx.get("kind") == "b2b":
            opts = (
                ("Webinar: {topic}", 'Ti aspettiamo al webinar "{topic}"', "Ultimi posti: {topic}")
                if it
                else ("Webinar: {topic}", 'Join us: "{topic}"', "Last seats: {topic}")
            )
        else:
            opts = (
                (
                    "{label}: -{pct}% con il codice {coupon}",
                    "⏰ {label}: ultime ore!",
                    "{first}, il tuo sconto {label} ti aspetta",
                    "{label} è iniziato 🔥",
                )
                if it
                else (
                    "{label}: {pct}% off with code {coupon}",
                    "⏰ {label}: last hours!",
                    "{first}, your {label} discount is waiting",
                    "{label} has started 🔥",
                )
            )
        s = r.choice(opts)
        for k in ("topic", "label", "pct", "coupon"):
            s = s.replace("{" + k + "}", str(ctx.get(k, "")))
        return s.replace("{first}", "Ciao" if it else "Hi")


WEBINAR_TOPICS = (
    ("Smart working sano: come allestire la postazione", "Healthy remote work: setting up the workstation"),
    ("Ergonomia e D.Lgs. 81/08: obblighi e opportunità", "Workstation ergonomics and the law"),
    ("Uffici ibridi: spazi, acustica e benessere", "Hybrid offices: space, acoustics and wellbeing"),
    ("Ridurre le assenze per mal di schiena", "Reducing back-pain absences"),
    ("Illuminazione e produttività in ufficio", "Lighting and productivity at work"),
    ("Welfare aziendale: la postazione come benefit", "The workstation as an employee benefit"),
    ("Open space senza rumore", "Quiet open offices"),
    ("Come scegliere le sedute per 50 postazioni", "Choosing seating for 50 desks"),
)
WORKSHOP_TOPICS = (
    "La postazione ergonomica in 60 minuti",
    "Laboratorio: regola la tua sedia",
    "Workshop per facility manager",
    "Workshop: acustica in ufficio",
    "Studio e postura per ragazzi",
)
FAIRS = ("Fiera Ufficio Futuro", "Workplace Expo", "Salone dello Spazio di Lavoro", "HR & Welfare Forum")
