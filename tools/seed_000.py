"""Curation source for seeds/000_3a67f61cbea0bcb9.txt: "Stepping Up Activities in China’s
Backyard: Russia Wants to Become Third Force in Southeast Asia After U.S. and China" (July 2021).

Build the fixture with `python -m tools.build_seed seed_000`. Every span is an exact quote
from the article (typographic apostrophes ’ and quotes “ ” as the article writes them); the
builder computes the offsets. Conventions: docs/curation.md. Claims follow the article
sentence by sentence; the comment above each group quotes the sentence it covers.

Facts that do not come from the article (Wikidata ids, role start dates, full names) are
the curator's reference knowledge and are kept to well-known, verifiable ones.
"""

from tools.curation import (
    Alias,
    Claim,
    Event,
    MentionExclusion,
    Organisation,
    Participant,
    Person,
    Quote,
    Role,
    Source,
    on,
    rel,
    vague,
)

AS_WRITTEN, COMMON, OFFICIAL, ABBREVIATION = "as_written", "common", "official", "abbreviation"
TRIP = "lavrov-southeast-asia-trip-2021"
TRIP_DATES = on("2021-07-06/2021-07-08", "from July 6 to 8")
NOW = on("2021-07", "currently")  # "currently", "current": the publication month

PEOPLE = [
    Person(
        slug="sergei-lavrov",
        name="Sergei Lavrov",
        given_name="Sergei",
        family_name="Lavrov",
        nationality="russia",
        wikidata_qid="Q41364",
        description="Russian diplomat; Minister of Foreign Affairs of Russia since 2004.",
        aliases=(Alias("Lavrov"), Alias("Sergey Lavrov", COMMON), Alias("Сергей Лавров", OFFICIAL, "ru")),
    ),
    Person(
        slug="nikolai-patrushev",
        name="Nikolai Patrushev",
        given_name="Nikolai",
        family_name="Patrushev",
        nationality="russia",
        description="Secretary of the Security Council of Russia since 2008. The article calls him "
        "“Secretary General” of the “National Security Council”.",
        aliases=(Alias("Patrushev"), Alias("Николай Патрушев", OFFICIAL, "ru")),
    ),
    Person(
        slug="dmitry-medvedev",
        name="Dmitry Medvedev",
        given_name="Dmitry",
        family_name="Medvedev",
        nationality="russia",
        wikidata_qid="Q23530",
        description="President of Russia 2008–2012 and Prime Minister 2012–2020; Deputy Chairman of the "
        "Security Council of Russia since 2020 and chairman of United Russia.",
        aliases=(Alias("Medvedev", COMMON), Alias("Дмитрий Медведев", OFFICIAL, "ru")),
    ),
    Person(
        slug="vladimir-putin",
        name="Vladimir Putin",
        given_name="Vladimir",
        family_name="Putin",
        nationality="russia",
        wikidata_qid="Q7747",
        description="President of Russia.",
        aliases=(Alias("Putin"), Alias("Владимир Путин", OFFICIAL, "ru")),
    ),
    Person(
        slug="min-aung-hlaing",
        name="Min Aung Hlaing",
        nationality="myanmar",
        description="Commander-in-Chief of Myanmar's armed forces (the Tatmadaw) since 2011; head of the "
        "military government (State Administration Council) after the February 2021 coup. Burmese names "
        "have no family name.",
    ),
    Person(
        slug="sergei-shoigu",
        name="Sergei Shoigu",
        given_name="Sergei",
        family_name="Shoigu",
        nationality="russia",
        description="Minister of Defence of Russia since 2012.",
        aliases=(Alias("Shoigu"), Alias("Сергей Шойгу", OFFICIAL, "ru")),
    ),
    Person(
        slug="wang-yi",
        name="Wang Yi",
        given_name="Yi",
        family_name="Wang",
        nationality="china",
        description="Minister of Foreign Affairs of China since 2013.",
        aliases=(Alias("Wang"), Alias("王毅", OFFICIAL, "zh")),
    ),
    Person(
        slug="streltsov",
        name="Streltsov",
        family_name="Streltsov",
        nationality="russia",
        description="Russian scholar on Southeast Asia quoted by the article; it does not give his first name.",
    ),
]

ORGANISATIONS = [
    Organisation(
        slug="asean",
        name="ASEAN",
        org_type="intergovernmental_body",
        wikidata_qid="Q7768",
        description="Association of Southeast Asian Nations: Brunei, Cambodia, Indonesia, Laos, Malaysia, "
        "Myanmar, the Philippines, Singapore, Thailand and Vietnam.",
        aliases=(Alias("Association of Southeast Asian Nations", OFFICIAL),),
    ),
    Organisation(
        slug="asean-secretariat",
        name="ASEAN Secretariat",
        org_type="intergovernmental_body",
        country="indonesia",
        parent="asean",
        description="ASEAN's secretariat in Jakarta, headed by the Secretary-General of ASEAN.",
    ),
    Organisation(
        slug="security-council-of-russia",
        name="Security Council of Russia",
        org_type="government_body",
        country="russia",
        description="Advisory body chaired by the President of Russia; Nikolai Patrushev was its Secretary. "
        "The article calls it the “(Russian) National Security Council”.",
        aliases=(
            Alias("Security Council of the Russian Federation", OFFICIAL),
            Alias("Russian National Security Council"),
            Alias("National Security Council"),
        ),
    ),
    Organisation(
        slug="kremlin",
        name="Kremlin",
        org_type="government_body",
        country="russia",
        description="The Russian presidency and the leadership around President Vladimir Putin (by metonymy, "
        "the Kremlin). The article also calls it “the Putin administration”.",
        aliases=(Alias("Putin administration"), Alias("Putin’s administration")),
    ),
    Organisation(
        slug="ministry-of-foreign-affairs-of-russia",
        name="Ministry of Foreign Affairs of Russia",
        org_type="ministry",
        country="russia",
        aliases=(Alias("Russian Foreign Ministry", COMMON),),
    ),
    Organisation(
        slug="ministry-of-defence-of-russia",
        name="Ministry of Defence of Russia",
        org_type="ministry",
        country="russia",
        aliases=(Alias("Russian Defence Ministry", COMMON), Alias("Russian Defense Ministry", COMMON)),
    ),
    Organisation(
        slug="ministry-of-foreign-affairs-of-china",
        name="Ministry of Foreign Affairs of China",
        org_type="ministry",
        country="china",
        aliases=(Alias("Chinese Foreign Ministry", COMMON),),
    ),
    Organisation(
        slug="russian-armed-forces",
        name="Armed Forces of the Russian Federation",
        org_type="armed_forces",
        country="russia",
        parent="ministry-of-defence-of-russia",
        aliases=(Alias("Russian Armed Forces", COMMON), Alias("Russian military")),
    ),
    Organisation(
        slug="united-russia",
        name="United Russia",
        org_type="political_party",
        country="russia",
        description="Russia's ruling party, chaired by Dmitry Medvedev since 2012.",
        aliases=(Alias("Единая Россия", OFFICIAL, "ru"),),
    ),
    Organisation(
        slug="tatmadaw",
        name="Tatmadaw",
        org_type="armed_forces",
        country="myanmar",
        description="Myanmar's armed forces, commanded by Min Aung Hlaing.",
        aliases=(Alias("Myanmar Armed Forces", OFFICIAL),),
    ),
    Organisation(
        slug="state-administration-council",
        name="State Administration Council",
        org_type="government_body",
        country="myanmar",
        description="Myanmar's military government since the coup of 1 February 2021, chaired by Min Aung "
        "Hlaing. The article calls it the “Burmese military government”, “military regime in Myanmar” "
        "and “Burmese military authorities”.",
        aliases=(
            Alias("Burmese military government"),
            Alias("military regime in Myanmar"),
            Alias("Burmese military authorities"),
        ),
    ),
    Organisation(
        slug="lao-peoples-army",
        name="Lao People's Army",
        org_type="armed_forces",
        country="laos",
        aliases=(Alias("Lao army"),),
    ),
    Organisation(
        slug="lao-peoples-revolutionary-party",
        name="Lao People's Revolutionary Party",
        org_type="political_party",
        country="laos",
        description="The ruling communist party of Laos; the article calls it the “Lao Communist Party”.",
        aliases=(Alias("Lao Communist Party"), Alias("LPRP", ABBREVIATION)),
    ),
    Organisation(
        slug="pathet-lao",
        name="Pathet Lao",
        org_type="armed_group",
        country="laos",
        description="The Lao communist movement and its guerrilla forces (1950–1975); the article calls them "
        "the “Lao Communist guerrillas”.",
        aliases=(Alias("Lao Communist guerrillas"),),
    ),
    Organisation(
        slug="kommersant",
        name="Kommersant",
        org_type="media_outlet",
        country="russia",
        description="Russian daily newspaper.",
        aliases=(Alias("Коммерсантъ", OFFICIAL, "ru"),),
    ),
    Organisation(
        slug="nezavisimaya-gazeta",
        name="Nezavisimaya Gazeta",
        org_type="media_outlet",
        country="russia",
        description="Russian daily newspaper (“Independent Newspaper”). The article calls it “The "
        "Independent”; it is not the British newspaper of that name.",
        aliases=(Alias("The Independent"), Alias("Независимая газета", OFFICIAL, "ru")),
    ),
    Organisation(
        slug="sputnik-v",
        name="Sputnik V",
        org_type="product",
        country="russia",
        description="Russian COVID-19 vaccine (Gam-COVID-Vac). The article translates its name as “Russian "
        "satellite vaccines”.",
        aliases=(Alias("Russian satellite vaccines"), Alias("Gam-COVID-Vac", OFFICIAL)),
    ),
    Organisation(
        slug="quad",
        name="Quadrilateral Security Dialogue",
        org_type="intergovernmental_body",
        description="Strategic dialogue of Australia, India, Japan and the United States; the article calls "
        "it a “quadripartite mechanism”.",
        aliases=(Alias("Quad", COMMON), Alias("quadripartite mechanism")),
    ),
    # Unnamed sources the article cites. Recorded as groups so that their statements can be
    # attributed and found ("what did Russian scholars say?").
    Organisation(
        slug="russian-strategic-analysts",
        name="International strategic analysts in Russia",
        org_type="other",
        country="russia",
        description="Unnamed group of analysts the article cites: “Many international strategic analysts in Russia”.",
        aliases=(Alias("international strategic analysts in Russia"),),
    ),
    Organisation(
        slug="russian-southeast-asia-scholars",
        name="Russian scholars of Southeast Asian issues",
        org_type="other",
        country="russia",
        description="Unnamed group of scholars the article cites: “Some Russian scholars of Southeast Asian issues”.",
    ),
    Organisation(
        slug="russian-media",
        name="Russian media",
        org_type="other",
        country="russia",
        description="Unnamed Russian media outlets the article cites: “Many Russian media commented …”.",
    ),
]

EVENTS = [
    Event(
        slug=TRIP,
        name="Lavrov's Southeast Asia trip (July 2021)",
        event_type="trip",
        date=TRIP_DATES,
        location_text="Indonesia and Laos; the Brunei leg was cancelled",
        description="Sergei Lavrov's trip to Indonesia and Laos, 6–8 July 2021. A planned leg to Brunei was "
        "cancelled on his arrival in Jakarta.",
        aliases=(
            Alias("Lavrov’s trip to Southeast Asia"),
            Alias("Lavrov’s visit to Southeast Asia"),
            Alias("Lavrov’s visit to Indonesia and Laos"),
        ),
        participants=(
            Participant("sergei-lavrov", "visitor"),
            Participant("indonesia", "host"),
            Participant("laos", "host"),
            Participant("asean-secretariat", "attendee", "Lavrov met the ASEAN secretary general."),
            Participant("kommersant", "attendee", "A Kommersant correspondent accompanied Lavrov."),
        ),
    ),
    Event(
        slug="lavrov-visit-to-indonesia-2021",
        name="Lavrov's visit to Indonesia (July 2021)",
        event_type="official_visit",
        date=TRIP_DATES,
        location_country="indonesia",
        location_text="Jakarta",
        parent=TRIP,
        description="First leg of the trip. The article dates only the whole trip (July 6 to 8).",
        participants=(Participant("sergei-lavrov", "visitor"), Participant("indonesia", "host")),
    ),
    Event(
        slug="lavrov-visit-to-laos-2021",
        name="Lavrov's visit to Laos (July 2021)",
        event_type="official_visit",
        date=TRIP_DATES,
        location_country="laos",
        location_text="Vientiane",
        parent=TRIP,
        description="Second leg of the trip. The article dates only the whole trip (July 6 to 8).",
        participants=(Participant("sergei-lavrov", "visitor"), Participant("laos", "host")),
    ),
    Event(
        slug="lavrov-visit-to-brunei-2021",
        name="Lavrov's planned visit to Brunei (July 2021, cancelled)",
        event_type="official_visit",
        status="cancelled",
        date=TRIP_DATES,
        location_country="brunei",
        parent=TRIP,
        description="Planned leg of the trip, “temporarily canceled upon his arrival in Jakarta because of the "
        "epidemic”. Dated to the trip it belonged to.",
        participants=(Participant("sergei-lavrov", "visitor"), Participant("brunei", "host")),
    ),
    Event(
        slug="russia-asean-foreign-ministers-video-conference-2021",
        name="Russia–ASEAN foreign ministers' video conference (July 2021)",
        event_type="video_conference",
        date=TRIP_DATES,
        location_country="indonesia",
        parent="lavrov-visit-to-indonesia-2021",
        description="Lavrov's video conference from Indonesia with the ten ASEAN foreign ministers.",
        participants=(
            Participant("sergei-lavrov", "attendee"),
            Participant("asean", "attendee", "the 10 ASEAN foreign ministers"),
        ),
    ),
    Event(
        slug="lavrov-interview-indonesian-media-2021",
        name="Lavrov's interview with Indonesian media (July 2021)",
        event_type="interview",
        description="Interview in which Lavrov “set the tone for the trip”; the article does not date it or "
        "name the outlet.",
        participants=(Participant("sergei-lavrov", "attendee"),),
    ),
    Event(
        slug="patrushev-asean-video-conference-2021-06-28",
        name="Patrushev's video conference with ASEAN security officials (28 June 2021)",
        event_type="video_conference",
        date=on("2021-06-28", "June 28"),
        participants=(
            Participant("nikolai-patrushev", "organiser"),
            Participant("asean", "attendee", "corresponding officials from ASEAN countries"),
        ),
    ),
    Event(
        slug="medvedev-asean-ruling-parties-meeting-2021-06-29",
        name="Medvedev's online meeting with ASEAN ruling parties (29 June 2021)",
        event_type="video_conference",
        date=on("2021-06-29", "June 29"),
        participants=(
            Participant("dmitry-medvedev", "organiser"),
            Participant("united-russia", "organiser"),
            Participant("cambodia", "attendee", "leaders of Cambodia"),
            Participant("laos", "attendee", "leaders of Laos"),
            Participant("vietnam", "attendee", "leaders of Vietnam"),
            Participant("asean", "attendee", "leaders of ruling parties of other ASEAN countries"),
        ),
    ),
    Event(
        slug="russian-constitutional-amendments-2020",
        name="2020 amendments to the Constitution of Russia",
        event_type="political_change",
        date=rel("last year"),
        location_country="russia",
        aliases=(Alias("Russia’s constitutional changes"),),
    ),
    Event(
        slug="wang-yi-brunei-phone-call-2021-04",
        name="Wang Yi's telephone call with Brunei's foreign minister (April 2021)",
        event_type="phone_call",
        date=on("2021-04", "in April"),
        participants=(
            Participant("wang-yi", "attendee"),
            Participant("brunei", "attendee", "the foreign minister of Brunei"),
        ),
    ),
    Event(
        slug="wang-yi-southeast-asia-tour-2021",
        name="Wang Yi's visits to Myanmar, Indonesia, Brunei and the Philippines (early 2021)",
        event_type="trip",
        # "earlier in the year", in an article of July 2021: from January to the publication month.
        date=on("2021-01/2021-07", "earlier in the year"),
        participants=(
            Participant("wang-yi", "visitor"),
            Participant("myanmar", "host"),
            Participant("indonesia", "host"),
            Participant("brunei", "host"),
            Participant("philippines", "host"),
        ),
    ),
    Event(
        slug="wang-yi-southeast-asia-tour-2020-10",
        name="Wang Yi's visits to Cambodia, Malaysia, Laos, Thailand and Singapore (October 2020)",
        event_type="trip",
        date=rel("Last October"),
        participants=(
            Participant("wang-yi", "visitor"),
            Participant("cambodia", "host"),
            Participant("malaysia", "host"),
            Participant("laos", "host"),
            Participant("thailand", "host"),
            Participant("singapore", "host"),
        ),
    ),
    Event(
        slug="asean-foreign-ministers-fujian-visits-2021",
        name="Southeast Asian foreign ministers' visits to Fujian (March–April 2021)",
        event_type="official_visit",
        date=on("2021-03/2021-04", "late March and early April"),
        location_country="china",
        location_text="Fujian province",
        participants=(
            Participant("singapore", "visitor", "foreign minister"),
            Participant("indonesia", "visitor", "foreign minister"),
            Participant("malaysia", "visitor", "foreign minister"),
            Participant("philippines", "visitor", "foreign minister"),
            Participant("china", "host"),
        ),
    ),
    Event(
        slug="min-aung-hlaing-visit-to-russia-2021-06",
        name="Min Aung Hlaing's visit to Russia (June 2021)",
        event_type="official_visit",
        date=on("2021-06", "late June"),
        location_country="russia",
        aliases=(
            Alias("Min Aung Hlaing’s visit to Russia"),
            Alias("Min Aung Hlaing’s high-profile visit to Russia"),
        ),
        participants=(
            Participant("min-aung-hlaing", "visitor"),
            Participant("russia", "host"),
            Participant("nikolai-patrushev", "host", "met Min Aung Hlaing"),
            Participant("sergei-shoigu", "host", "met Min Aung Hlaing"),
        ),
    ),
    Event(
        slug="moscow-conference-on-international-security-2021",
        name="Moscow Conference on International Security 2021",
        event_type="conference",
        # "this year's": bounded by the late-June visit during which he attended it.
        date=on("2021-06", "this year’s"),
        location_country="russia",
        location_text="Moscow",
        aliases=(
            Alias("Moscow Conference on International Security", COMMON),
            Alias("international security conference in Moscow"),
        ),
        participants=(Participant("min-aung-hlaing", "attendee"), Participant("russia", "host")),
    ),
    Event(
        slug="shoigu-visit-to-laos",
        name="Shoigu's visit to Laos",
        event_type="official_visit",
        date=rel("a few years ago"),
        location_country="laos",
        aliases=(Alias("Shoigu’s visit to Laos"),),
        participants=(Participant("sergei-shoigu", "visitor"), Participant("laos", "host")),
    ),
    Event(
        slug="world-war-ii",
        name="World War II",
        event_type="war",
        date=on("1939-09-01/1945-09-02"),
        wikidata_qid="Q362",
        aliases=(Alias("Second World War", COMMON), Alias("WWII", ABBREVIATION)),
    ),
    Event(
        slug="vietnam-war",
        name="Vietnam War",
        event_type="war",
        date=on("1955-11-01/1975-04-30"),
        wikidata_qid="Q8740",
    ),
    Event(
        slug="covid-19-pandemic",
        name="COVID-19 pandemic",
        event_type="other",
        wikidata_qid="Q81068910",
        description="The article calls it “the epidemic”.",
    ),
    Event(
        slug="victory-day-parades-russia",
        name="Victory Day parades in Russia",
        event_type="other",
        location_country="russia",
        description="Annual parades marking the Soviet victory in World War II.",
        aliases=(Alias("World War II victory parades"),),
        participants=(Participant("russia", "host"),),
    ),
    Event(
        slug="russia-laos-joint-exercise-2019",
        name="First Russia–Laos joint military exercise (2019)",
        event_type="military_exercise",
        date=rel("two years ago"),
        location_country="laos",
        aliases=(Alias("first joint military exercise"),),
        participants=(
            Participant("russian-armed-forces", "attendee"),
            Participant("lao-peoples-army", "attendee"),
            Participant("laos", "host"),
        ),
    ),
    Event(
        slug="russia-laos-joint-exercise-2021",
        name="Second Russia–Laos joint military exercise (2021)",
        event_type="military_exercise",
        status="planned",
        date=rel("in the next month"),
        location_country="russia",
        location_text="Primorsky Krai exercise site",
        description="Planned for the month after publication in Primorsky Krai, a Russian region bordering "
        "China; the article places the site “in neighboring China” (recorded as a claim, as written).",
        aliases=(Alias("second joint military exercise"),),
        participants=(
            Participant("russian-armed-forces", "attendee"),
            Participant("lao-peoples-army", "attendee"),
            Participant("russia", "host"),
        ),
    ),
]

ROLES = [
    Role("lavrov-foreign-minister", "sergei-lavrov", "Minister of Foreign Affairs",
         "ministry-of-foreign-affairs-of-russia", on("2004-03/2021-07", "since March 2004")),
    Role("patrushev-security-council-secretary", "nikolai-patrushev", "Secretary of the Security Council",
         "security-council-of-russia", on("2008-05/2021-07", "since May 2008")),
    Role("medvedev-security-council-deputy-chairman", "dmitry-medvedev", "Deputy Chairman of the Security Council",
         "security-council-of-russia", on("2020-01/2021-07", "since January 2020")),
    Role("medvedev-united-russia-chairman", "dmitry-medvedev", "Chairman (party leader)",
         "united-russia", on("2012-05/2021-07", "since May 2012")),
    Role("medvedev-prime-minister", "dmitry-medvedev", "Prime Minister of Russia",
         None, on("2012-05/2020-01", "May 2012 – January 2020")),
    Role("medvedev-president", "dmitry-medvedev", "President of Russia",
         None, on("2008-05/2012-05", "May 2008 – May 2012")),
    Role("putin-president", "vladimir-putin", "President of Russia",
         None, on("2012-05/2021-07", "since May 2012 (and 2000–2008)")),
    Role("shoigu-defence-minister", "sergei-shoigu", "Minister of Defence",
         "ministry-of-defence-of-russia", on("2012-11/2021-07", "since November 2012")),
    Role("wang-yi-foreign-minister", "wang-yi", "Minister of Foreign Affairs",
         "ministry-of-foreign-affairs-of-china", on("2013-03/2021-07", "since March 2013")),
    Role("min-aung-hlaing-commander-in-chief", "min-aung-hlaing", "Commander-in-Chief of Defence Services",
         "tatmadaw", on("2011-03/2021-07", "since March 2011")),
    Role("min-aung-hlaing-sac-chairman", "min-aung-hlaing", "Chairman",
         "state-administration-council", on("2021-02/2021-07", "since February 2021")),
]  # fmt: skip

EXTRA_ALIASES = [
    # Capitals used for the state (metonymy), exactly as the article writes them.
    ("russia", Alias("Moscow")),
    ("china", Alias("Beijing")),
]

MENTION_EXCLUSIONS = [
    MentionExclusion("russia", Quote("Moscow", prefix="security conference in "), "Moscow the city, a location."),
    MentionExclusion(
        "russian-armed-forces",
        Quote("Russian military", suffix=" and weapons production"),
        "Adjective phrase: “Russian military and weapons production facilities”.",
    ),
    MentionExclusion(
        "russian-media",
        Quote("Russian media", suffix=" outlet"),
        "“another major Russian media outlet” is Nezavisimaya Gazeta, not the unnamed group.",
    ),
]

# fmt: off
CLAIMS = [
    # Title: "… Russia Wants to Become Third Force in Southeast Asia After U.S. and China"
    Claim("russia-seeks-third-force-role", "russia", "seeks-role",
          value="third force in Southeast Asia after the U.S. and China",
          spans=("Russia Wants to Become Third Force in Southeast Asia After U.S. and China",
                 "Wanting to play an important role after the US and China")),
    # Title: "Stepping Up Activities in China’s Backyard"; later "Russia’s strengthened ties with ASEAN"
    Claim("russia-strengthens-ties-with-asean", "russia", "relations-with", object="asean",
          value="stepping up activities in China’s backyard; strengthened ties",
          spans=("Stepping Up Activities in China’s Backyard", "Russia’s strengthened ties with ASEAN")),
    # "Russia has recently interacted closely with China’s main Southeast Asian neighbor."
    Claim("russia-interacted-with-chinas-neighbor", "russia", "relations-with",
          value="interacted closely with China’s main Southeast Asian neighbor", date=vague("recently"),
          confidence="medium",
          notes="The neighbor is not named; the original probably meant China's Southeast Asian neighbors.",
          spans=("Russia has recently interacted closely with China’s main Southeast Asian neighbor",)),
    # "At a time when the U.S.-China game is intensifying, Moscow is actively entering the picture, trying to
    # provide ASEAN countries with an alternative to the U.S. and China as an independent force that is not
    # involved in the U.S.-China rivalry."
    Claim("us-china-rivalry-intensifying", "united-states", "competes-with", object="china",
          value="the U.S.-China game is intensifying",
          spans=("the U.S.-China game is intensifying",)),
    Claim("russia-offers-asean-an-alternative", "russia", "seeks-role",
          value="an alternative to the U.S. and China for ASEAN countries, as an independent force not involved "
                "in the U.S.-China rivalry",
          spans=("Moscow is actively entering the picture, trying to provide ASEAN countries with an alternative "
                 "to the U.S. and China as an independent force that is not involved in the U.S.-China rivalry",)),
    # "Russian Foreign Minister Sergei Lavrov visited the Southeast Asian countries of Indonesia and Laos from
    # July 6 to 8."
    Claim("lavrov-is-foreign-minister", "sergei-lavrov", "holds-position",
          object="ministry-of-foreign-affairs-of-russia", value="Russian Foreign Minister",
          spans=("Russian Foreign Minister Sergei Lavrov",)),
    Claim("lavrov-visited-indonesia", "sergei-lavrov", "visited", object="indonesia",
          event="lavrov-visit-to-indonesia-2021", date=TRIP_DATES,
          spans=("Sergei Lavrov visited the Southeast Asian countries of Indonesia and Laos from July 6 to 8",
                 "Lavrov Visits Indonesia and Laos", "upon his arrival in Jakarta")),
    Claim("lavrov-visited-laos", "sergei-lavrov", "visited", object="laos",
          event="lavrov-visit-to-laos-2021", date=TRIP_DATES,
          spans=("Sergei Lavrov visited the Southeast Asian countries of Indonesia and Laos from July 6 to 8",
                 "Lavrov Visits Indonesia and Laos", "Upon his arrival in Vientiane")),
    # "He met with the leaders and foreign ministers of both countries, as well as the ASEAN secretary general."
    Claim("lavrov-met-indonesian-leaders", "sergei-lavrov", "met-with", object="indonesia",
          value="the leaders and foreign ministers", event="lavrov-visit-to-indonesia-2021", date=TRIP_DATES,
          spans=("He met with the leaders and foreign ministers of both countries",)),
    Claim("lavrov-met-lao-leaders", "sergei-lavrov", "met-with", object="laos",
          value="the leaders and foreign ministers", event="lavrov-visit-to-laos-2021", date=TRIP_DATES,
          spans=("He met with the leaders and foreign ministers of both countries",)),
    Claim("lavrov-met-asean-secretary-general", "sergei-lavrov", "met-with", object="asean-secretariat",
          value="the ASEAN secretary general", event=TRIP, date=TRIP_DATES,
          spans=("as well as the ASEAN secretary general",)),
    # "Indonesia is the seat of the ASEAN Secretariat."
    Claim("asean-secretariat-seated-in-indonesia", "asean-secretariat", "headquartered-in", object="indonesia",
          spans=("Indonesia is the seat of the ASEAN Secretariat",)),
    # "Lavrov also held a videoconference with the 10 ASEAN foreign ministers in Indonesia."
    Claim("lavrov-video-conference-with-asean-ministers", "sergei-lavrov", "held-video-conference-with",
          object="asean", value="the 10 ASEAN foreign ministers", value_number="10",
          event="russia-asean-foreign-ministers-video-conference-2021", date=TRIP_DATES,
          spans=("Lavrov also held a videoconference with the 10 ASEAN foreign ministers in Indonesia",)),
    # "Lavrov had also originally planned to visit Brunei, the current rotating chair of ASEAN, but the trip to
    # Brunei was temporarily canceled upon his arrival in Jakarta because of the epidemic."
    Claim("lavrov-planned-to-visit-brunei", "sergei-lavrov", "visited", object="brunei", modality="planned",
          event="lavrov-visit-to-brunei-2021", date=TRIP_DATES,
          notes="The visit was planned and then cancelled (see the claim on the cancellation).",
          spans=("Lavrov had also originally planned to visit Brunei",)),
    Claim("lavrov-brunei-visit-cancelled", "lavrov-visit-to-brunei-2021", "cancelled", object="covid-19-pandemic",
          value="temporarily canceled upon his arrival in Jakarta because of the epidemic",
          event="lavrov-visit-to-brunei-2021", date=on("2021-07-06/2021-07-08", "upon his arrival in Jakarta"),
          spans=("the trip to Brunei was temporarily canceled upon his arrival in Jakarta because of the epidemic",)),
    Claim("brunei-chairs-asean", "brunei", "chairs", object="asean", value="the current rotating chair of ASEAN",
          date=on("2021-07", "current"),
          spans=("Brunei, the current rotating chair of ASEAN", "Brunei, the rotating chair of ASEAN")),
    # "In an interview with Indonesian media, Lavrov set the tone for the trip to Southeast Asia."
    Claim("lavrov-interview-indonesian-media", "sergei-lavrov", "gave-interview-to", value="Indonesian media",
          event="lavrov-interview-indonesian-media-2021",
          spans=("In an interview with Indonesian media, Lavrov set the tone for the trip to Southeast Asia",)),
    # "He called relations with ASEAN countries one of the primary directions of Russia’s Asia-Pacific
    # diplomacy, and Russia supports a more important role for ASEAN in Asia-Pacific affairs."
    Claim("russia-prioritises-asean-relations", "russia", "relations-with", object="asean",
          value="one of the primary directions of Russia’s Asia-Pacific diplomacy",
          event="lavrov-interview-indonesian-media-2021", attributed_to="sergei-lavrov",
          spans=("He called relations with ASEAN countries one of the primary directions of Russia’s "
                 "Asia-Pacific diplomacy",)),
    Claim("russia-supports-larger-asean-role", "russia", "supports", object="asean",
          value="a more important role for ASEAN in Asia-Pacific affairs",
          event="lavrov-interview-indonesian-media-2021", attributed_to="sergei-lavrov", confidence="medium",
          notes="Read as the second half of what Lavrov said in the interview.",
          spans=("Russia supports a more important role for ASEAN in Asia-Pacific affairs",)),
    # "On the eve of Lavrov’s visit, Russian National Security Council Secretary General Patrushev held a video
    # conference with corresponding officials from ASEAN countries on June 28."
    Claim("patrushev-is-security-council-secretary", "nikolai-patrushev", "holds-position",
          object="security-council-of-russia", value="Secretary General",
          notes="As written (“Secretary General” of the “National Security Council”); the title is Secretary "
                "of the Security Council.",
          spans=("Russian National Security Council Secretary General Patrushev",
                 Quote("National Security Council Secretary General Patrushev", prefix="met with "))),
    Claim("patrushev-video-conference-with-asean", "nikolai-patrushev", "held-video-conference-with",
          object="asean", value="corresponding officials from ASEAN countries",
          event="patrushev-asean-video-conference-2021-06-28", date=on("2021-06-28", "June 28"),
          spans=("On the eve of Lavrov’s visit",
                 "Patrushev held a video conference with corresponding officials from ASEAN countries on June 28")),
    # "Following Russia’s constitutional changes last year, the National Security Council, headed by Patrushev,
    # has been playing an increasingly important role in foreign affairs."
    Claim("russia-constitutional-changes-last-year", "russian-constitutional-amendments-2020", "located-in",
          object="russia", date=rel("last year"),
          spans=("Russia’s constitutional changes last year",)),
    Claim("security-council-growing-role-in-foreign-affairs", "security-council-of-russia", "plays-role-in",
          value="an increasingly important role in foreign affairs",
          event="russian-constitutional-amendments-2020",
          date=on("2020/2021-07", "following Russia’s constitutional changes last year"),
          spans=("Following Russia’s constitutional changes last year, the National Security Council, headed by "
                 "Patrushev, has been playing an increasingly important role in foreign affairs",)),
    Claim("patrushev-heads-security-council", "nikolai-patrushev", "leads", object="security-council-of-russia",
          value="headed by Patrushev",
          notes="As written. Patrushev is the council's Secretary; the President chairs it.",
          spans=("the National Security Council, headed by Patrushev",)),
    # "On June 29, former Russian Prime Minister and former President Dmitry Medvedev, in his capacity as Deputy
    # Secretary General of the National Security Council and leader of the ruling United Russia party, held an
    # online meeting with leaders of the ruling parties of ASEAN countries."
    Claim("medvedev-former-prime-minister", "dmitry-medvedev", "holds-position", object="russia",
          value="former Russian Prime Minister",
          spans=("former Russian Prime Minister and former President Dmitry Medvedev",)),
    Claim("medvedev-former-president", "dmitry-medvedev", "holds-position", object="russia",
          value="former President",
          spans=("former Russian Prime Minister and former President Dmitry Medvedev",)),
    Claim("medvedev-security-council-deputy", "dmitry-medvedev", "holds-position",
          object="security-council-of-russia",
          value="Deputy Secretary General of the National Security Council",
          notes="As written; his title is Deputy Chairman of the Security Council (see his Role).",
          spans=("in his capacity as Deputy Secretary General of the National Security Council",)),
    Claim("medvedev-leads-united-russia", "dmitry-medvedev", "leads", object="united-russia",
          value="leader of the ruling United Russia party",
          spans=("leader of the ruling United Russia party",)),
    Claim("united-russia-rules-russia", "united-russia", "governs", object="russia",
          value="the ruling United Russia party",
          spans=("the ruling United Russia party",)),
    Claim("medvedev-online-meeting-asean-parties", "dmitry-medvedev", "held-video-conference-with",
          object="asean", value="leaders of the ruling parties of ASEAN countries",
          event="medvedev-asean-ruling-parties-meeting-2021-06-29", date=on("2021-06-29", "June 29"),
          spans=("On June 29",
                 "held an online meeting with leaders of the ruling parties of ASEAN countries")),
    # "The video conference was attended by leaders of Cambodia, Laos, and Vietnam, as well as leaders of ruling
    # parties of other ASEAN countries."
    *[
        Claim(f"{country}-attended-medvedev-meeting", country, "attended",
              object="medvedev-asean-ruling-parties-meeting-2021-06-29", value="leaders",
              date=on("2021-06-29", "June 29"),
              spans=("The video conference was attended by leaders of Cambodia, Laos, and Vietnam",))
        for country in ("cambodia", "laos", "vietnam")
    ],
    Claim("asean-parties-attended-medvedev-meeting", "asean", "attended",
          object="medvedev-asean-ruling-parties-meeting-2021-06-29",
          value="leaders of ruling parties of other ASEAN countries", date=on("2021-06-29", "June 29"),
          confidence="medium", notes="ASEAN stands for “other ASEAN countries”; their parties are not named.",
          spans=("as well as leaders of ruling parties of other ASEAN countries",)),
    # "Many international strategic analysts in Russia have been advocating in recent years that Russia should
    # avoid total dependence on China while drawing closer to it and use enhanced cooperation with China’s
    # neighbors, including with Southeast Asian countries, to balance Russia-China relations."
    Claim("analysts-advocate-avoiding-dependence-on-china", "russian-strategic-analysts", "advocates",
          value="Russia should avoid total dependence on China while drawing closer to it",
          attributed_to="russian-strategic-analysts", attribution="opines", date=vague("in recent years"),
          spans=("Many international strategic analysts in Russia have been advocating in recent years that "
                 "Russia should avoid total dependence on China while drawing closer to it",)),
    Claim("analysts-advocate-cooperation-with-chinas-neighbors", "russian-strategic-analysts", "advocates",
          value="Russia should use enhanced cooperation with China’s neighbors, including Southeast Asian "
                "countries, to balance Russia-China relations",
          attributed_to="russian-strategic-analysts", attribution="opines", date=vague("in recent years"),
          spans=("use enhanced cooperation with China’s neighbors, including with Southeast Asian countries, to "
                 "balance Russia-China relations",)),
    # "The ASEAN countries are China’s backyard."
    Claim("asean-is-chinas-backyard", "asean", "in-sphere-of-influence-of", object="china",
          value="China’s backyard",
          spans=("The ASEAN countries are China’s backyard", "Focus on China’s Backyard")),
    # "China is trying to manage its relations with these countries at a time when U.S.-China relations are
    # deteriorating."
    Claim("china-manages-relations-with-asean", "china", "relations-with", object="asean",
          value="trying to manage its relations with these countries",
          spans=("China is trying to manage its relations with these countries",)),
    Claim("us-china-relations-deteriorating", "united-states", "relations-with", object="china",
          value="deteriorating",
          spans=("U.S.-China relations are deteriorating",)),
    # "Chinese Foreign Minister Wang Yi held a special telephone conversation with the foreign minister of
    # Brunei, the rotating chair of ASEAN, in April."
    Claim("wang-yi-is-foreign-minister", "wang-yi", "holds-position", object="ministry-of-foreign-affairs-of-china",
          value="Chinese Foreign Minister",
          spans=("Chinese Foreign Minister Wang Yi",)),
    Claim("wang-yi-phone-call-with-brunei", "wang-yi", "held-phone-call-with", object="brunei",
          value="a special telephone conversation with the foreign minister of Brunei",
          event="wang-yi-brunei-phone-call-2021-04", date=on("2021-04", "in April"),
          spans=("Wang Yi held a special telephone conversation with the foreign minister of Brunei, the rotating "
                 "chair of ASEAN, in April",)),
    # "Wang Yi visited the four ASEAN countries of Myanmar, Indonesia, Brunei and the Philippines earlier in the
    # year."  "In the three months from October last year to January this year, Wang visited all ASEAN
    # countries except Vietnam."
    *[
        Claim(f"wang-yi-visited-{country}-2021", "wang-yi", "visited", object=country,
              event="wang-yi-southeast-asia-tour-2021", date=on("2021-01/2021-07", "earlier in the year"),
              spans=("Wang Yi visited the four ASEAN countries of Myanmar, Indonesia, Brunei and the Philippines "
                     "earlier in the year", "Wang visited all ASEAN countries except Vietnam"))
        for country in ("myanmar", "indonesia", "brunei", "philippines")
    ],
    # "Last October, Wang Yi visited the other five ASEAN countries of Cambodia, Malaysia, Laos, Thailand and
    # Singapore."
    *[
        Claim(f"wang-yi-visited-{country}-2020", "wang-yi", "visited", object=country,
              event="wang-yi-southeast-asia-tour-2020-10", date=rel("Last October"),
              spans=("Last October, Wang Yi visited the other five ASEAN countries of Cambodia, Malaysia, Laos, "
                     "Thailand and Singapore", "Wang visited all ASEAN countries except Vietnam"))
        for country in ("cambodia", "malaysia", "laos", "thailand", "singapore")
    ],
    Claim("wang-yi-did-not-visit-vietnam", "wang-yi", "visited", object="vietnam", polarity="negated",
          date=on("2020-10/2021-01", "from October last year to January this year"),
          spans=("In the three months from October last year to January this year, Wang visited all ASEAN "
                 "countries except Vietnam",)),
    # ASEAN membership, as the same sentences state it.
    *[
        Claim(f"{country}-member-of-asean", country, "member-of", object="asean",
              spans=("the four ASEAN countries of Myanmar, Indonesia, Brunei and the Philippines",))
        for country in ("myanmar", "indonesia", "brunei", "philippines")
    ],
    *[
        Claim(f"{country}-member-of-asean", country, "member-of", object="asean",
              spans=("the other five ASEAN countries of Cambodia, Malaysia, Laos, Thailand and Singapore",))
        for country in ("cambodia", "malaysia", "laos", "thailand", "singapore")
    ],
    Claim("vietnam-member-of-asean", "vietnam", "member-of", object="asean",
          spans=("all ASEAN countries except Vietnam",)),
    # "In addition, the foreign ministers of Singapore, Indonesia, Malaysia and the Philippines also visited
    # China’s Fujian province in late March and early April."
    *[
        Claim(f"{country}-foreign-minister-visited-fujian", country, "visited", object="china",
              value="the foreign minister visited China’s Fujian province",
              event="asean-foreign-ministers-fujian-visits-2021",
              date=on("2021-03/2021-04", "late March and early April"),
              spans=("the foreign ministers of Singapore, Indonesia, Malaysia and the Philippines also visited "
                     "China’s Fujian province in late March and early April",))
        for country in ("singapore", "indonesia", "malaysia", "philippines")
    ],
    # "… Russia’s relations with the West, especially with the United States, are still deteriorating and no
    # improvement seems to be in sight for a long time to come."
    Claim("russia-us-relations-deteriorating", "russia", "relations-with", object="united-states",
          value="still deteriorating (with the West, especially the United States); no improvement in sight for "
                "a long time to come",
          spans=("Russia’s relations with the West, especially with the United States, are still deteriorating "
                 "and no improvement seems to be in sight for a long time to come",)),
    # "As a result, the Putin administration is also strongly supporting the military regime in Myanmar, which
    # is seen as a deliberate attempt by the Kremlin to send tough signals to the Western world."
    Claim("kremlin-supports-myanmar-military-regime", "kremlin", "supports", object="state-administration-council",
          value="strongly supporting the military regime in Myanmar",
          spans=("the Putin administration is also strongly supporting the military regime in Myanmar",)),
    Claim("kremlin-signals-to-the-west", "kremlin", "intends",
          value="to send tough signals to the Western world (by supporting the military regime in Myanmar)",
          attribution="opines", confidence="medium",
          notes="“is seen as”: the article does not say by whom, so the claim is the article's own, as an opinion.",
          spans=("which is seen as a deliberate attempt by the Kremlin to send tough signals to the Western "
                 "world",)),
    # "During Lavrov’s visit to Southeast Asia, he also stated his support for ASEAN’s position on Burma."
    Claim("lavrov-supports-asean-position-on-myanmar", "sergei-lavrov", "supports", object="asean",
          value="ASEAN’s position on Burma", event=TRIP, date=TRIP_DATES, attributed_to="sergei-lavrov",
          spans=("During Lavrov’s visit to Southeast Asia, he also stated his support for ASEAN’s position on "
                 "Burma",)),
    # "Burma’s military leader Min Aung Hlaing visited Russia in late June, where he attended this year’s
    # international security conference in Moscow."
    Claim("min-aung-hlaing-leads-tatmadaw", "min-aung-hlaing", "leads", object="tatmadaw",
          value="Burma’s military leader",
          spans=("Burma’s military leader Min Aung Hlaing", "Burma’s military head")),
    Claim("min-aung-hlaing-visited-russia", "min-aung-hlaing", "visited", object="russia",
          event="min-aung-hlaing-visit-to-russia-2021-06", date=on("2021-06", "late June"),
          spans=("Min Aung Hlaing visited Russia in late June",)),
    Claim("min-aung-hlaing-attended-moscow-conference", "min-aung-hlaing", "attended",
          object="moscow-conference-on-international-security-2021",
          event="min-aung-hlaing-visit-to-russia-2021-06", date=on("2021-06", "late June"),
          spans=("where he attended this year’s international security conference in Moscow",)),
    Claim("moscow-conference-held-in-russia", "moscow-conference-on-international-security-2021", "located-in",
          object="russia", value="Moscow", date=on("2021-06", "this year’s"),
          spans=("this year’s international security conference in Moscow",)),
    # "Although he did not meet Putin, Min Aung Hlaing met with National Security Council Secretary General
    # Patrushev, Defense Minister Shoigu and others."
    Claim("min-aung-hlaing-did-not-meet-putin", "min-aung-hlaing", "met-with", object="vladimir-putin",
          polarity="negated", event="min-aung-hlaing-visit-to-russia-2021-06", date=on("2021-06", "late June"),
          spans=("Although he did not meet Putin",)),
    Claim("min-aung-hlaing-met-patrushev", "min-aung-hlaing", "met-with", object="nikolai-patrushev",
          event="min-aung-hlaing-visit-to-russia-2021-06", date=on("2021-06", "late June"),
          spans=("Min Aung Hlaing met with National Security Council Secretary General Patrushev",)),
    Claim("min-aung-hlaing-met-shoigu", "min-aung-hlaing", "met-with", object="sergei-shoigu",
          event="min-aung-hlaing-visit-to-russia-2021-06", date=on("2021-06", "late June"),
          spans=("Min Aung Hlaing met with National Security Council Secretary General Patrushev, Defense "
                 "Minister Shoigu and others",)),
    Claim("shoigu-is-defence-minister", "sergei-shoigu", "holds-position", object="ministry-of-defence-of-russia",
          value="Defense Minister",
          spans=(Quote("Defense Minister Shoigu", suffix=" and others"), "Russian Defense Minister Shoigu")),
    # "He also visited a number of Russian military and weapons production facilities."
    Claim("min-aung-hlaing-visited-military-facilities", "min-aung-hlaing", "visited", object="russia",
          value="a number of Russian military and weapons production facilities",
          event="min-aung-hlaing-visit-to-russia-2021-06", date=on("2021-06", "late June"),
          spans=("He also visited a number of Russian military and weapons production facilities",)),
    # "Many Russian media commented that Min Aung Hlaing’s high-profile visit to Russia was tantamount to the
    # Kremlin legitimizing the Burmese military government in power."
    Claim("russian-media-commented-on-min-aung-hlaing-visit", "russian-media", "commented-on",
          object="min-aung-hlaing-visit-to-russia-2021-06",
          spans=("Many Russian media commented that Min Aung Hlaing’s high-profile visit to Russia",)),
    Claim("kremlin-legitimises-myanmar-military-government", "kremlin", "legitimises",
          object="state-administration-council",
          value="Min Aung Hlaing’s high-profile visit to Russia was tantamount to the Kremlin legitimizing the "
                "Burmese military government in power",
          event="min-aung-hlaing-visit-to-russia-2021-06", attributed_to="russian-media", attribution="opines",
          spans=("Many Russian media commented that Min Aung Hlaing’s high-profile visit to Russia was tantamount "
                 "to the Kremlin legitimizing the Burmese military government in power",)),
    # "The Putin administration has thrown Min Aung Hlaing a lifeline at a time when the Burmese military
    # authorities are under international sanctions and are highly isolated."
    Claim("kremlin-throws-min-aung-hlaing-a-lifeline", "kremlin", "supports", object="min-aung-hlaing",
          value="has thrown Min Aung Hlaing a lifeline",
          spans=("The Putin administration has thrown Min Aung Hlaing a lifeline",
                 "Supporting Burma’s military head against the West")),
    Claim("myanmar-military-government-under-sanctions", "state-administration-council", "under-sanctions",
          value="international sanctions",
          spans=("the Burmese military authorities are under international sanctions",)),
    Claim("myanmar-military-government-isolated", "state-administration-council", "described-as",
          value="highly isolated",
          spans=("are highly isolated",)),
    # "Joining Burma’s military chiefs to limit Beijing’s influence"
    Claim("russia-joins-burmese-military-chiefs", "russia", "cooperates-with", object="tatmadaw",
          value="joining Burma’s military chiefs to limit Beijing’s influence",
          spans=("Joining Burma’s military chiefs to limit Beijing’s influence",)),
    # "Some Russian scholars of Southeast Asian issues say that while Burma is China’s main neighbor and China
    # has great influence in the country, the Burmese military government does not want to be completely
    # subjected to Beijing, so it has brought in Russian forces to actively cooperate with Moscow."
    Claim("myanmar-is-chinas-main-neighbor", "myanmar", "neighbours", object="china", value="China’s main neighbor",
          attributed_to="russian-southeast-asia-scholars",
          spans=("Burma is China’s main neighbor",)),
    Claim("china-has-great-influence-in-myanmar", "china", "influences", object="myanmar",
          value="great influence in the country", attributed_to="russian-southeast-asia-scholars",
          spans=("China has great influence in the country",)),
    Claim("myanmar-military-government-resists-dependence-on-china", "state-administration-council", "depends-on",
          object="china", polarity="negated", value="does not want to be completely subjected to Beijing",
          attributed_to="russian-southeast-asia-scholars", attribution="opines",
          spans=("the Burmese military government does not want to be completely subjected to Beijing",)),
    Claim("myanmar-military-government-cooperates-with-russia", "state-administration-council", "cooperates-with",
          object="russia", value="has brought in Russian forces to actively cooperate with Moscow",
          attributed_to="russian-southeast-asia-scholars", attribution="opines",
          spans=("so it has brought in Russian forces to actively cooperate with Moscow",)),
    # "Russia’s role as an alternative force to China that can influence the balance of power in the region
    # provides an opportunity for Russia to expand its influence in Burma and Southeast Asia."
    Claim("russia-alternative-force-to-china", "russia", "influences", modality="possible",
          value="an alternative force to China that can influence the balance of power in the region",
          attributed_to="russian-southeast-asia-scholars", attribution="opines", confidence="medium",
          notes="Read as continuing the scholars' argument of the previous sentence.",
          spans=("Russia’s role as an alternative force to China that can influence the balance of power in the "
                 "region",)),
    Claim("russia-opportunity-to-expand-influence-in-myanmar", "russia", "influences", object="myanmar",
          modality="possible", value="an opportunity to expand its influence in Burma and Southeast Asia",
          attributed_to="russian-southeast-asia-scholars", attribution="opines", confidence="medium",
          notes="Read as continuing the scholars' argument of the previous sentence.",
          spans=("provides an opportunity for Russia to expand its influence in Burma and Southeast Asia",)),
    # "Min Aung Hlaing, who is considered pro-Russian, has always maintained close relations with Putin’s
    # administration."
    Claim("min-aung-hlaing-considered-pro-russian", "min-aung-hlaing", "supports", object="russia",
          value="considered pro-Russian", attribution="opines",
          notes="“is considered”: the article does not say by whom.",
          spans=("Min Aung Hlaing, who is considered pro-Russian",)),
    Claim("min-aung-hlaing-close-to-kremlin", "min-aung-hlaing", "relations-with", object="kremlin",
          value="has always maintained close relations",
          spans=("has always maintained close relations with Putin’s administration",)),
    # "Not only does he visit Russia frequently, but a large number of Burmese soldiers arrive in Russia each
    # year for training."
    Claim("min-aung-hlaing-visits-russia-frequently", "min-aung-hlaing", "visited", object="russia",
          value="frequently",
          spans=("Not only does he visit Russia frequently",)),
    Claim("russia-trains-burmese-soldiers", "russia", "trained", object="tatmadaw",
          value="a large number of Burmese soldiers each year",
          spans=("a large number of Burmese soldiers arrive in Russia each year for training",)),
    # "When these Burmese soldiers return home and gradually assume key positions, they become an important
    # lobbying force for the purchase of Russian-made weapons and for stronger ties with Moscow."
    Claim("russian-trained-soldiers-lobby-for-russian-arms", "tatmadaw", "advocates",
          value="the purchase of Russian-made weapons and stronger ties with Moscow (Russian-trained soldiers "
                "become an important lobbying force)",
          spans=("When these Burmese soldiers return home and gradually assume key positions, they become an "
                 "important lobbying force for the purchase of Russian-made weapons and for stronger ties with "
                 "Moscow",)),
    # "Myanmar is currently the second largest buyer of Russian weapons in Southeast Asia, after Vietnam."
    Claim("myanmar-buys-russian-arms", "myanmar", "buys-arms-from", object="russia", date=NOW,
          spans=("Myanmar is currently the second largest buyer of Russian weapons",)),
    Claim("myanmar-second-largest-buyer", "myanmar", "ranks-as-buyer", object="russia",
          value="second largest buyer of Russian weapons in Southeast Asia", value_number="2", date=NOW,
          spans=("Myanmar is currently the second largest buyer of Russian weapons in Southeast Asia, after "
                 "Vietnam",)),
    Claim("vietnam-largest-buyer", "vietnam", "ranks-as-buyer", object="russia",
          value="largest buyer of Russian weapons in Southeast Asia (Myanmar is second, “after Vietnam”)",
          value_number="1", date=NOW, notes="Implied by “second largest … after Vietnam”.",
          spans=("the second largest buyer of Russian weapons in Southeast Asia, after Vietnam",)),
    Claim("vietnam-buys-russian-arms", "vietnam", "buys-arms-from", object="russia", date=NOW,
          spans=("after Vietnam",)),
    # "New arms deals are expected after Min Aung Hlaing’s visit to Russia."
    Claim("new-arms-deals-with-myanmar-expected", "russia", "sells-arms-to", object="myanmar", modality="expected",
          value="new arms deals after Min Aung Hlaing’s visit to Russia",
          spans=("New arms deals are expected after Min Aung Hlaing’s visit to Russia",)),
    # "Arms deals a key issue …"; "Arms sales to ASEAN countries are an important part of Russia’s push for
    # Southeast Asian diplomacy and a topic of discussion during Lavrov’s trip to Southeast Asia."
    Claim("russia-sells-arms-to-asean-countries", "russia", "sells-arms-to", object="asean",
          value="arms sales to ASEAN countries, an important part of Russia’s push for Southeast Asian diplomacy",
          spans=("Arms sales to ASEAN countries are an important part of Russia’s push for Southeast Asian "
                 "diplomacy", "Arms deals a key issue")),
    Claim("arms-sales-discussed-on-lavrov-trip", "sergei-lavrov", "discussed-with",
          value="arms sales to ASEAN countries", event=TRIP, date=TRIP_DATES,
          spans=("a topic of discussion during Lavrov’s trip to Southeast Asia",)),
    # "Russia is currently discussing with Indonesia the sale of Su-35 warplanes and other arms deals."
    Claim("russia-negotiating-su35-sale-to-indonesia", "russia", "negotiating-sale-of", object="indonesia",
          value="Su-35 warplanes and other arms deals", date=NOW,
          spans=("Russia is currently discussing with Indonesia the sale of Su-35 warplanes and other arms "
                 "deals",)),
    # "Upon his arrival in Vientiane, Lavrov also discussed arms deals with the Lao leader."
    Claim("lavrov-discussed-arms-deals-with-laos", "sergei-lavrov", "discussed-with", object="laos",
          value="arms deals, with the Lao leader", event="lavrov-visit-to-laos-2021", date=TRIP_DATES,
          spans=("Upon his arrival in Vientiane, Lavrov also discussed arms deals with the Lao leader",)),
    # "The Lao army also uses a lot of Soviet and Russian-made weapons and equipment."
    Claim("lao-army-uses-soviet-weapons", "lao-peoples-army", "uses-weapons-from", object="soviet-union",
          value="a lot of Soviet and Russian-made weapons and equipment",
          spans=("The Lao army also uses a lot of Soviet and Russian-made weapons and equipment",)),
    Claim("lao-army-uses-russian-weapons", "lao-peoples-army", "uses-weapons-from", object="russia",
          value="a lot of Soviet and Russian-made weapons and equipment",
          spans=("The Lao army also uses a lot of Soviet and Russian-made weapons and equipment",)),
    # "In recent years, the Chinese neighbor has had frequent interactions with Russia, especially with the two
    # countries’ militaries."
    Claim("laos-frequent-interactions-with-russia", "laos", "relations-with", object="russia",
          value="frequent interactions, especially between the two countries’ militaries",
          date=vague("In recent years"),
          notes="“the Chinese neighbor” is Laos, from the context.",
          spans=("In recent years, the Chinese neighbor has had frequent interactions with Russia, especially "
                 "with the two countries’ militaries",)),
    # "During Russian Defense Minister Shoigu’s visit to Laos a few years ago, Laos gave Russia dozens of T-34
    # tanks produced in the 1950s that were in storage as a token of gratitude for Russia’s help."
    Claim("shoigu-visited-laos", "sergei-shoigu", "visited", object="laos", event="shoigu-visit-to-laos",
          date=rel("a few years ago"),
          spans=("Russian Defense Minister Shoigu’s visit to Laos a few years ago",)),
    Claim("laos-gave-russia-t34-tanks", "laos", "gave", object="russia",
          value="dozens of T-34 tanks produced in the 1950s that were in storage", event="shoigu-visit-to-laos",
          date=rel("a few years ago"),
          notes="Approximate quantity kept as written; value_number stays empty (“dozens” is not a number).",
          spans=("Laos gave Russia dozens of T-34 tanks produced in the 1950s that were in storage",)),
    Claim("russia-helped-laos", "russia", "assists", object="laos",
          value="Russia’s help (the tanks were a token of gratitude for it)",
          spans=("as a token of gratitude for Russia’s help",)),
    # "As a major Soviet tank during World War II, the T-34s have been frequently featured in World War II
    # victory parades across Russia in recent years."
    Claim("t34-major-soviet-tank-in-wwii", "soviet-union", "participated-in", object="world-war-ii",
          value="the T-34 was a major Soviet tank during World War II",
          spans=("As a major Soviet tank during World War II",)),
    Claim("t34s-featured-in-victory-parades", "russia", "hosted", object="victory-day-parades-russia",
          value="the T-34s have been frequently featured in World War II victory parades across Russia",
          date=vague("in recent years"),
          spans=("the T-34s have been frequently featured in World War II victory parades across Russia in "
                 "recent years",)),
    # "Russia has a long history of involvement with Laos."
    Claim("russia-long-involvement-with-laos", "russia", "relations-with", object="laos",
          value="a long history of involvement",
          spans=("Russia has a long history of involvement with Laos",)),
    # "During the Vietnam War, the Soviet Union trained large numbers of officers for the Lao Communist
    # guerrillas and provided much assistance to the Lao Communist Party via Burma."
    Claim("soviet-union-trained-pathet-lao-officers", "soviet-union", "trained", object="pathet-lao",
          value="large numbers of officers", event="vietnam-war", date=on("1955-11-01/1975-04-30",
                                                                          "During the Vietnam War"),
          spans=("During the Vietnam War, the Soviet Union trained large numbers of officers for the Lao "
                 "Communist guerrillas",)),
    Claim("soviet-union-assisted-lao-communist-party", "soviet-union", "assists",
          object="lao-peoples-revolutionary-party", value="much assistance, via Burma", event="vietnam-war",
          date=on("1955-11-01/1975-04-30", "During the Vietnam War"),
          spans=("provided much assistance to the Lao Communist Party via Burma",)),
    # "Many senior Laotian officials and leaders, including the current foreign minister, have had experience
    # in the Soviet Union, and many of them speak Russian fluently."
    Claim("lao-leaders-experienced-in-soviet-union", "laos", "relations-with", object="soviet-union",
          value="many senior Laotian officials and leaders, including the current foreign minister, have had "
                "experience in the Soviet Union",
          spans=("Many senior Laotian officials and leaders, including the current foreign minister, have had "
                 "experience in the Soviet Union",)),
    Claim("lao-leaders-speak-russian", "laos", "described-as",
          value="many senior officials and leaders speak Russian fluently",
          spans=("many of them speak Russian fluently",)),
    # "The Russian military has been helping Laos in recent years to clear mines and other explosives left over
    # from the Vietnam War, training demining experts for Laos while continuing to train officers for Laos."
    Claim("russian-military-helps-laos-clear-mines", "russian-armed-forces", "assists", object="laos",
          value="clearing mines and other explosives left over from the Vietnam War", date=vague("in recent years"),
          spans=("The Russian military has been helping Laos in recent years to clear mines and other explosives "
                 "left over from the Vietnam War",)),
    Claim("russian-military-trains-lao-deminers", "russian-armed-forces", "trained", object="laos",
          value="demining experts", date=vague("in recent years"),
          spans=("training demining experts for Laos",)),
    Claim("russian-military-trains-lao-officers", "russian-armed-forces", "trained", object="laos",
          value="officers (continuing)",
          spans=("while continuing to train officers for Laos",)),
    # "Cooperation between the two countries’ militaries is also escalating."
    Claim("russia-laos-military-cooperation-escalating", "russian-armed-forces", "cooperates-with",
          object="lao-peoples-army", value="escalating",
          spans=("Cooperation between the two countries’ militaries is also escalating",
                 "Escalating military cooperation with Laos")),
    # "The two militaries held their first joint military exercise in Laos two years ago."
    Claim("first-russia-laos-joint-exercise", "russian-armed-forces", "held-joint-exercise-with",
          object="lao-peoples-army", value="first joint military exercise, in Laos",
          event="russia-laos-joint-exercise-2019", date=rel("two years ago"),
          spans=("The two militaries held their first joint military exercise in Laos two years ago",)),
    # "In the next month, Lao soldiers will arrive in Russia, and the two militaries will hold a second joint
    # military exercise at Russia’s Primorsky Krai exercise site in neighboring China."
    Claim("lao-soldiers-will-arrive-in-russia", "lao-peoples-army", "visited", object="russia",
          modality="planned", value="Lao soldiers will arrive in Russia", event="russia-laos-joint-exercise-2021",
          date=rel("in the next month"),
          spans=("In the next month, Lao soldiers will arrive in Russia",)),
    Claim("second-russia-laos-joint-exercise-planned", "russian-armed-forces", "held-joint-exercise-with",
          object="lao-peoples-army", modality="planned", value="second joint military exercise",
          event="russia-laos-joint-exercise-2021", date=rel("in the next month"),
          spans=("the two militaries will hold a second joint military exercise at Russia’s Primorsky Krai "
                 "exercise site in neighboring China",)),
    Claim("second-exercise-site-in-russia", "russia-laos-joint-exercise-2021", "located-in", object="russia",
          value="Russia’s Primorsky Krai exercise site", modality="planned",
          spans=("at Russia’s Primorsky Krai exercise site",)),
    Claim("second-exercise-site-in-china-as-written", "russia-laos-joint-exercise-2021", "located-in",
          object="china", value="Primorsky Krai exercise site in neighboring China", modality="planned",
          confidence="low",
          notes="Recorded as written (a claim is what the source says). Primorsky Krai is a Russian region bordering China; "
                "the article places the site “in neighboring China”. The event's location is Russia.",
          spans=("Primorsky Krai exercise site in neighboring China",)),
    # "Russia is also trying to participate in infrastructure development in Laos, including upgrading the main
    # airport there, which could facilitate future use by the Russian military."
    Claim("russia-seeks-infrastructure-role-in-laos", "russia", "invests-in", object="laos", modality="planned",
          value="trying to participate in infrastructure development, including upgrading the main airport",
          spans=("Russia is also trying to participate in infrastructure development in Laos, including "
                 "upgrading the main airport there",)),
    Claim("russian-military-could-use-lao-airport", "russian-armed-forces", "uses-facilities-in", object="laos",
          modality="possible", value="the main airport (future use)",
          spans=("which could facilitate future use by the Russian military",)),
    # "A report by a correspondent for the Russian newspaper “Kommersant” who accompanied Lavrov on his visit
    # said that China is actively expanding in Laos, building infrastructure, including a railroad linking
    # Kunming, China, and Vietnam to Laos."
    Claim("kommersant-is-russian-newspaper", "kommersant", "described-as", value="Russian newspaper",
          spans=("the Russian newspaper “Kommersant”",)),
    Claim("kommersant-correspondent-accompanied-lavrov", "kommersant", "accompanied", object="sergei-lavrov",
          value="a correspondent", event=TRIP, date=TRIP_DATES,
          spans=("a correspondent for the Russian newspaper “Kommersant” who accompanied Lavrov on his visit",)),
    Claim("china-expanding-in-laos", "china", "invests-in", object="laos",
          value="actively expanding in Laos, building infrastructure", attributed_to="kommersant",
          attribution="reports",
          spans=("China is actively expanding in Laos, building infrastructure",)),
    Claim("china-builds-railroad-to-laos", "china", "invests-in", object="laos",
          value="a railroad linking Kunming, China, and Vietnam to Laos", attributed_to="kommersant",
          attribution="reports",
          spans=("including a railroad linking Kunming, China, and Vietnam to Laos",)),
    # "But this project will not bring economic dividends to Laos, but will instead trap the country in a
    # Chinese debt trap, which China will use to expand its geopolitical influence there."
    Claim("railroad-no-economic-dividends-for-laos", "china", "benefits", object="laos", polarity="negated",
          modality="expected", value="this project (the railroad) will not bring economic dividends to Laos",
          attributed_to="kommersant", attribution="reports",
          spans=("this project will not bring economic dividends to Laos",)),
    Claim("laos-chinese-debt-trap", "laos", "depends-on", object="china", modality="expected",
          value="trapped in a Chinese debt trap", attributed_to="kommersant", attribution="reports",
          spans=("will instead trap the country in a Chinese debt trap",)),
    Claim("china-to-expand-influence-in-laos", "china", "influences", object="laos", modality="expected",
          value="will use the debt trap to expand its geopolitical influence there", attributed_to="kommersant",
          attribution="reports",
          spans=("which China will use to expand its geopolitical influence there",)),
    # "Commenting on Lavrov’s trip to Southeast Asia, another major Russian media outlet, The Independent, said
    # ASEAN countries are looking to Russia as a counterweight to the U.S. and China."
    Claim("independent-commented-on-lavrov-trip", "nezavisimaya-gazeta", "commented-on", object=TRIP,
          spans=("Commenting on Lavrov’s trip to Southeast Asia, another major Russian media outlet, The "
                 "Independent, said",)),
    Claim("independent-is-major-russian-outlet", "nezavisimaya-gazeta", "described-as",
          value="major Russian media outlet",
          spans=("another major Russian media outlet, The Independent",)),
    Claim("asean-looks-to-russia-as-counterweight", "asean", "looks-to", object="russia",
          value="a counterweight to the U.S. and China", attributed_to="nezavisimaya-gazeta", attribution="reports",
          spans=("ASEAN countries are looking to Russia as a counterweight to the U.S. and China",)),
    # "As the confrontation between the U.S. and China escalates, it becomes increasingly difficult for ASEAN
    # countries, which are swayed between the U.S. and China, to continue to promote such strategies of the
    # past, the report said."
    Claim("us-china-confrontation-escalates", "united-states", "competes-with", object="china",
          value="the confrontation between the U.S. and China escalates", attributed_to="nezavisimaya-gazeta",
          attribution="reports",
          spans=("As the confrontation between the U.S. and China escalates",)),
    Claim("asean-swayed-between-us-and-china", "asean", "described-as",
          value="swayed between the U.S. and China; increasingly difficult to continue to promote such "
                "strategies of the past",
          attributed_to="nezavisimaya-gazeta", attribution="reports",
          spans=("it becomes increasingly difficult for ASEAN countries, which are swayed between the U.S. and "
                 "China, to continue to promote such strategies of the past, the report said",)),
    # "In turn, the region’s major powers, Japan and Australia, and India are seen as members of a
    # quadripartite mechanism to confront China and include the United States."
    *[
        Claim(f"{country}-member-of-quad", country, "member-of", object="quad",
              attributed_to="nezavisimaya-gazeta", attribution="opines",
              spans=("Japan and Australia, and India are seen as members of a quadripartite mechanism",))
        for country in ("japan", "australia", "india")
    ],
    Claim("united-states-member-of-quad", "united-states", "member-of", object="quad",
          attributed_to="nezavisimaya-gazeta", attribution="opines",
          spans=("a quadripartite mechanism to confront China and include the United States",)),
    *[
        Claim(f"{country}-regional-major-power", country, "described-as", value="one of the region’s major powers",
              attributed_to="nezavisimaya-gazeta", attribution="reports",
              spans=("the region’s major powers, Japan and Australia",))
        for country in ("japan", "australia")
    ],
    Claim("quad-confronts-china", "quad", "confronts", object="china", attributed_to="nezavisimaya-gazeta",
          attribution="opines",
          spans=("a quadripartite mechanism to confront China",)),
    # "Therefore, Russia, as the only other major power not involved in these conflicting confrontations, could
    # enter the picture as an independent balancing force to exert influence."
    Claim("russia-not-involved-in-confrontations", "russia", "confronts", object="china", polarity="negated",
          value="the only other major power not involved in these conflicting confrontations",
          attributed_to="nezavisimaya-gazeta", attribution="opines",
          spans=("Russia, as the only other major power not involved in these conflicting confrontations",)),
    Claim("russia-could-be-balancing-force", "russia", "plays-role-in", modality="possible",
          value="an independent balancing force to exert influence", attributed_to="nezavisimaya-gazeta",
          attribution="opines",
          spans=("could enter the picture as an independent balancing force to exert influence",)),
    # "But Streltsov, a Russian scholar on Southeast Asia, said that while Russia can play an important role,
    # Moscow’s influence should not be counted on too much."
    Claim("streltsov-is-southeast-asia-scholar", "streltsov", "described-as",
          value="a Russian scholar on Southeast Asia",
          spans=("Streltsov, a Russian scholar on Southeast Asia",)),
    Claim("streltsov-russia-can-play-important-role", "russia", "plays-role-in", modality="possible",
          value="an important role", attributed_to="streltsov",
          spans=("while Russia can play an important role",)),
    Claim("streltsov-russian-influence-limited", "russia", "influences",
          value="Moscow’s influence should not be counted on too much", attributed_to="streltsov",
          attribution="opines",
          spans=("Moscow’s influence should not be counted on too much",
                 "Russian influence should not be exaggerated")),
    # "Russia will exert influence, and Russia may have an important part to some extent, but in any case, the
    # key players in the region are still the United States and China,” Streltsov said. “How the main rules of
    # the game are determined on the ground will ultimately depend on both the U.S. and China.”
    Claim("streltsov-russia-will-exert-influence", "russia", "influences", modality="expected",
          value="Russia will exert influence", attributed_to="streltsov", attribution="quotes",
          spans=("Russia will exert influence",)),
    Claim("streltsov-russia-may-have-important-part", "russia", "plays-role-in", modality="possible",
          value="an important part to some extent", attributed_to="streltsov", attribution="quotes",
          spans=("Russia may have an important part to some extent",)),
    *[
        Claim(f"streltsov-{country}-key-player", country, "plays-role-in", value="key player in the region",
              attributed_to="streltsov", attribution="quotes",
              spans=("the key players in the region are still the United States and China",))
        for country in ("united-states", "china")
    ],
    *[
        Claim(f"streltsov-rules-depend-on-{country}", country, "influences", modality="expected",
              value="how the main rules of the game are determined on the ground will ultimately depend on both "
                    "the U.S. and China",
              attributed_to="streltsov", attribution="quotes",
              spans=("How the main rules of the game are determined on the ground will ultimately depend on both "
                     "the U.S. and China",))
        for country in ("united-states", "china")
    ],
    # "During Lavrov’s visit to Indonesia and Laos, cooperation between Russia and ASEAN in the fight against
    # epidemics was also discussed, including topics such as the provision of Russian vaccines and the
    # production of Russian satellite vaccines in Indonesia."
    Claim("russia-asean-epidemic-cooperation-discussed", "russia", "discussed-with", object="asean",
          value="cooperation in the fight against epidemics", event=TRIP, date=TRIP_DATES,
          spans=("cooperation between Russia and ASEAN in the fight against epidemics was also discussed",)),
    Claim("russian-vaccine-supply-discussed", "russia", "supplies-to", object="asean", modality="possible",
          value="Russian vaccines (their provision was discussed)", event=TRIP, date=TRIP_DATES,
          notes="A topic discussed during the visit, not an agreed supply.",
          spans=("the provision of Russian vaccines",)),
    Claim("sputnik-v-production-in-indonesia-discussed", "sputnik-v", "produced-in", object="indonesia",
          modality="possible", event=TRIP, date=TRIP_DATES,
          notes="A topic discussed during the visit, not an agreed plan.",
          spans=("the production of Russian satellite vaccines in Indonesia",)),
]
# fmt: on

SOURCE = Source(
    key="seed_000",
    document_path="seeds/000_3a67f61cbea0bcb9.txt",
    title="Stepping Up Activities in China’s Backyard Russia Wants to Become Third Force in Southeast Asia After "
    "U.S. and China",
    published=on("2021-07", "July 2021"),
    language="en",
    people=PEOPLE,
    organisations=ORGANISATIONS,
    events=EVENTS,
    roles=ROLES,
    extra_aliases=EXTRA_ALIASES,
    mention_exclusions=MENTION_EXCLUSIONS,
    claims=CLAIMS,
)
