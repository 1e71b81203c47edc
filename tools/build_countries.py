"""Build `fixtures/countries.json`: every ISO 3166-1 country from pycountry, with the names
people actually write as aliases, plus the historical states the corpus needs.

    python -m tools.build_countries           # rewrite the fixture
    python -m tools.build_countries --check   # exit 1 if the committed fixture is stale

Each country is four kinds of record: the `factbase.entity` row and its `factbase.country`
row (multi-table inheritance needs both), its aliases and its ISO 3166-1 numeric code as an
`Identifier`. Slugs come from the short common name ("russia", "laos", "united-states") and
must never change once published: claims and URLs refer to them.

pycountry is a development dependency; only this script uses it.
"""

from __future__ import annotations

import pycountry
from django.utils.text import slugify

from tools.fixturelib import FIXTURES, TIMESTAMP, run_builder

TARGET = FIXTURES / "countries.json"

# The name a reader expects, where the ISO short name is the formal or inverted one
# ("Russian Federation", "Korea, Republic of"). pycountry's `common_name` is used otherwise.
SHORT_NAMES = {
    "BN": "Brunei",
    "CD": "Democratic Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SX": "Sint Maarten",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

COMMON, ABBREVIATION, HISTORICAL, OFFICIAL = "common", "abbreviation", "historical", "official"

# Names people actually write, beyond the ISO short, official and common names.
EXTRA_ALIASES: dict[str, list[tuple[str, str]]] = {
    "AE": [("UAE", ABBREVIATION)],
    "BS": [("The Bahamas", COMMON)],
    "CD": [("DR Congo", COMMON), ("DRC", ABBREVIATION), ("Congo-Kinshasa", COMMON), ("Zaire", HISTORICAL)],
    "CG": [("Republic of the Congo", COMMON), ("Congo-Brazzaville", COMMON)],
    "CI": [("Ivory Coast", COMMON), ("Cote d'Ivoire", COMMON)],
    "CN": [("PRC", ABBREVIATION)],
    "CV": [("Cape Verde", COMMON)],
    "CZ": [("Czech Republic", COMMON)],
    "GB": [("UK", ABBREVIATION), ("U.K.", ABBREVIATION), ("Britain", COMMON), ("Great Britain", COMMON)],
    "GM": [("The Gambia", COMMON)],
    "IR": [("Persia", HISTORICAL)],
    "KP": [("DPRK", ABBREVIATION), ("Democratic People's Republic of Korea", OFFICIAL)],
    "KR": [("Korea", COMMON), ("Republic of Korea", OFFICIAL), ("ROK", ABBREVIATION)],
    "LA": [("Lao PDR", ABBREVIATION)],
    "LK": [("Ceylon", HISTORICAL)],
    "MK": [("Macedonia", HISTORICAL)],
    "MM": [("Burma", COMMON), ("Republic of the Union of Myanmar", OFFICIAL)],
    "NL": [("Holland", COMMON), ("The Netherlands", COMMON)],
    "RU": [("Russian Federation", OFFICIAL)],
    "SY": [("Syrian Arab Republic", OFFICIAL)],
    "SZ": [("Swaziland", HISTORICAL)],
    "TL": [("East Timor", COMMON)],
    "TR": [("Turkey", COMMON)],
    "TW": [("Republic of China", OFFICIAL)],
    "US": [
        ("U.S.", ABBREVIATION),
        ("US", ABBREVIATION),
        ("USA", ABBREVIATION),
        ("U.S.A.", ABBREVIATION),
        ("America", COMMON),
    ],
    "VA": [("Holy See", OFFICIAL), ("Vatican", COMMON)],
    "VN": [("Viet Nam", OFFICIAL)],
}

# Wikidata items verified by the curator (the countries the seed corpus names). Others stay
# empty rather than guessed.
WIKIDATA = {
    "AU": "Q408",
    "BN": "Q921",
    "CN": "Q148",
    "ID": "Q252",
    "IN": "Q668",
    "JP": "Q17",
    "KH": "Q424",
    "LA": "Q819",
    "MM": "Q836",
    "MY": "Q833",
    "PH": "Q928",
    "RU": "Q159",
    "SG": "Q334",
    "TH": "Q869",
    "US": "Q30",
    "VN": "Q881",
}

# States that no longer exist but that the corpus names. No ISO alpha codes (those were
# withdrawn); the former ISO 3166-1 numeric code is kept as an identifier.
HISTORICAL_STATES = [
    {
        "slug": "soviet-union",
        "name": "Soviet Union",
        "official_name": "Union of Soviet Socialist Republics",
        "description": "Former state (1922–1991); ISO 3166-3 code SUHH.",
        "wikidata_qid": "Q15180",
        "numeric": "810",
        "aliases": [
            ("USSR", ABBREVIATION),
            ("U.S.S.R.", ABBREVIATION),
            ("Union of Soviet Socialist Republics", OFFICIAL),
        ],
    }
]


def short_name(country) -> str:
    return SHORT_NAMES.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def country_records(
    *,
    slug: str,
    name: str,
    official_name: str,
    alpha2: str,
    alpha3: str,
    numeric: str,
    aliases: list[tuple[str, str]],
    description: str = "",
    wikidata_qid: str = "",
    is_historical: bool = False,
) -> list[dict]:
    from factbase.models import normalise_name

    records = [
        {
            "model": "factbase.entity",
            "fields": {
                "kind": "country",
                "name": name,
                "normalised_name": normalise_name(name),
                "slug": slug,
                "description": description,
                "wikidata_qid": wikidata_qid,
                "created": TIMESTAMP,
                "updated": TIMESTAMP,
            },
        },
        {
            "model": "factbase.country",
            "fields": {
                "entity_ptr": [slug],
                "iso_alpha2": alpha2,
                "iso_alpha3": alpha3,
                "official_name": official_name,
                "is_historical": is_historical,
            },
        },
    ]
    seen = {name}
    for alias, kind in aliases:
        if alias in seen:
            continue
        seen.add(alias)
        records.append(
            {
                "model": "factbase.alias",
                "fields": {
                    "entity": [slug],
                    "name": alias,
                    "normalised": normalise_name(alias),
                    "language": "en",
                    "kind": kind,
                },
            }
        )
    if numeric:
        records.append(
            {
                "model": "factbase.identifier",
                "fields": {"entity": [slug], "scheme": "iso3166_numeric", "value": numeric},
            }
        )
    return records


def iso_country_records(country) -> list[dict]:
    name = short_name(country)
    official = getattr(country, "official_name", None) or country.name
    aliases = [(country.name, OFFICIAL)]  # the ISO 3166-1 short name, when it is not the display name
    if getattr(country, "official_name", None):
        aliases.append((country.official_name, OFFICIAL))
    if getattr(country, "common_name", None):
        aliases.append((country.common_name, COMMON))
    aliases.extend(EXTRA_ALIASES.get(country.alpha_2, []))
    return country_records(
        slug=slugify(name),
        name=name,
        official_name=official,
        alpha2=country.alpha_2,
        alpha3=country.alpha_3,
        numeric=country.numeric,
        aliases=aliases,
        wikidata_qid=WIKIDATA.get(country.alpha_2, ""),
    )


def build() -> list[dict]:
    groups = [iso_country_records(country) for country in pycountry.countries]
    for state in HISTORICAL_STATES:
        groups.append(
            country_records(
                slug=state["slug"],
                name=state["name"],
                official_name=state["official_name"],
                alpha2="",
                alpha3="",
                numeric=state["numeric"],
                aliases=state["aliases"],
                description=state["description"],
                wikidata_qid=state["wikidata_qid"],
                is_historical=True,
            )
        )
    groups.sort(key=lambda group: group[0]["fields"]["slug"])
    slugs = [group[0]["fields"]["slug"] for group in groups]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise SystemExit(f"Duplicate country slugs: {', '.join(duplicates)}")
    return [record for group in groups for record in group]


if __name__ == "__main__":
    raise SystemExit(run_builder(build, TARGET, __doc__.splitlines()[0]))
