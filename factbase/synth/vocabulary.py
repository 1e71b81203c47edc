"""The words synthetic data is made of (factbase/synth/builder.py): names, places, topics,
the sentences that carry each predicate, and filler prose. Plain data; the builder draws
from it with a seeded random generator, so changing a list changes every corpus."""

from __future__ import annotations

from dataclasses import dataclass

from factbase.enums import EntityKind

GIVEN = (
    "Sergei Maria Anna Ivan Dmitry Elena Olga Nikolai Andrei Tatiana Vladimir Irina Alexei Natalia Mikhail "
    "Ahmad Siti Budi Dewi Nguyen Linh Minh Thanh Somchai Kanya Aung Thida Min Hla Wei Li Jun Mei Hiroshi Yuki "
    "Kenji Akiko Jose Maria Luis Ana Carlos Rosa Juan Lucia Pedro Sofia James Mary John Patricia Robert Jennifer "
    "Michael Linda David Elizabeth Richard Susan Joseph Jessica Thomas Sarah Amir Fatima Omar Leila Hassan Zainab "
    "Ravi Priya Arjun Anjali Vikram Sunita Kwame Ama Kofi Abena Chinedu Ngozi Emeka Adaeze Pierre Claire Jean "
    "Sophie Hans Greta Karl Ingrid Lars Astrid Piotr Katarzyna Tomasz Agnieszka Jakub Ewa Marco Giulia Luca Chiara"
).split()
FAMILY = (
    "Lavrov Shoigu Patrushev Medvedev Zakharova Peskov Streltsov Ivanov Petrov Sidorov Smirnov Kuznetsov Popov "
    "Volkov Sokolov Lebedev Kozlov Novikov Morozov Pavlov Wibowo Santoso Hidayat Kusuma Pratama Nguyen Tran Le "
    "Pham Hoang Phan Vu Dang Bui Do Chanthavong Sisoulith Vongsa Aung Tun Win Hlaing Kyaw Zaw Myint Wang Zhang "
    "Liu Chen Yang Zhao Huang Zhou Wu Xu Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi "
    "Santos Reyes Cruz Bautista Garcia Mendoza Torres Flores Rivera Gomez Smith Johnson Williams Brown Jones "
    "Miller Davis Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker Hall "
    "Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans "
    "Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Khan Ahmed Ali Hussain Rahman "
    "Singh Sharma Patel Gupta Kumar Mensah Owusu Boateng Okafor Eze Nwosu Dubois Laurent Bernard Moreau Schmidt "
    "Schneider Fischer Weber Meyer Wagner Becker Nowak Kowalski Wisniewski Rossi Russo Ferrari Esposito Bianchi"
).split()
SYLLABLES = "ka ro vin tel mar sol den ar bel gor lin tra nov sta mir zen pol dor vel ran tas kur ob em is ul".split()
CITIES = (
    "Moscow Jakarta Vientiane Hanoi Naypyidaw Bangkok Manila Kuala Lumpur Singapore Phnom Penh Beijing Tokyo "
    "Seoul Delhi Vladivostok Novosibirsk Kazan Surabaya Medan Danang Mandalay Cebu Penang Chiang Mai Geneva "
    "Vienna Brussels Paris Berlin London Washington Canberra Wellington Dhaka Colombo Karachi Tashkent Astana"
).split()
TOPICS = (
    "Foreign Affairs;Defence;Finance;Trade;Energy;Health;Education;Justice;Interior;Agriculture;Transport;"
    "Culture;Labour;Industry;Tourism;Fisheries;Environment;Digital Development;Emergency Situations;Economy"
).split(";")
FIELDS = "Asian Studies;Strategic Studies;Oriental Studies;World Economy;Security Policy;Pacific Affairs".split(";")
PAPERS = "Herald;Times;Gazette;Post;Tribune;Observer;Courier;Daily;Telegraph;Review;Monitor;Chronicle".split(";")
WEAPONS = (
    "dozens of Su-35 warplanes;six Kilo-class submarines;a batch of Mi-17 helicopters;S-400 air defence systems;"
    "Yak-130 trainer jets;two frigates;armoured vehicles;small arms and ammunition;patrol boats;radar stations"
).split(";")
GIFTS = (
    "a million doses of vaccine;humanitarian aid;rice and medical supplies;a research vessel;scholarships;"
    "fire-fighting aircraft;a loan of two billion dollars;grain shipments;diesel generators;school textbooks"
).split(";")
TITLES = (
    "Foreign Minister;Defence Minister;Secretary;Deputy Chairman;Ambassador;Spokesperson;Director;Chief of Staff;"
    "Editor;Senior Researcher;Chairman;President;Prime Minister;Deputy Minister;Press Secretary"
).split(";")
SAYINGS = (
    "relations had reached a new level;the talks had been productive;the region should not be a battlefield;"
    "sanctions would not change its policy;the visit had been postponed because of the epidemic;"
    "cooperation on security would deepen;influence should not be counted on too much;"
    "no decision had been taken;the agreement would be signed next year;both sides shared a common position;"
    "the exercise was purely defensive;trade had doubled in five years;the matter was an internal affair"
).split(";")
FILLER = (
    "Analysts say the region remains a focus of competition between the great powers.",
    "The ministry did not respond to a request for comment.",
    "Observers noted that the timing of the announcement was not accidental.",
    "Details of the arrangement were not disclosed.",
    "The talks took place behind closed doors.",
    "Local media gave the meeting prominent coverage.",
    "Officials declined to say when a further round would be held.",
    "Trade between the two countries has grown steadily over the past decade.",
    "The statement was published on the ministry's website.",
    "Diplomats described the atmosphere as friendly and businesslike.",
)


@dataclass(frozen=True)
class PredicateSpec:
    slug: str
    label: str
    subject_kinds: tuple[str, ...]
    object_kinds: tuple[str, ...]
    # Sentence templates: affirmed, negated, planned. {s} subject, {o} object, {v} value.
    affirmed: str
    negated: str
    planned: str
    values: tuple[str, ...] = ()


PER, ORG, CTY, EVT = (
    EntityKind.PERSON.value,
    EntityKind.ORGANISATION.value,
    EntityKind.COUNTRY.value,
    EntityKind.EVENT.value,
)
PREDICATES = (
    PredicateSpec(
        "visited",
        "visited",
        (PER, ORG),
        (CTY, ORG, EVT),
        "{s} visited {o}",
        "{s} did not visit {o}",
        "{s} plans to visit {o}",
    ),
    PredicateSpec(
        "met-with", "met with", (PER,), (PER, ORG), "{s} met with {o}", "{s} did not meet {o}", "{s} is to meet {o}"
    ),
    PredicateSpec(
        "held-video-conference-with",
        "held video conference with",
        (PER, ORG),
        (PER, ORG),
        "{s} held a video conference with {o}",
        "{s} did not hold a video conference with {o}",
        "{s} plans a video conference with {o}",
    ),
    PredicateSpec(
        "said",
        "said",
        (PER, ORG),
        (),
        "{s} said that {v}",
        "{s} denied that {v}",
        "{s} is expected to say that {v}",
        SAYINGS,
    ),
    PredicateSpec(
        "reported",
        "reported",
        (ORG,),
        (),
        "{s} reported that {v}",
        "{s} did not report that {v}",
        "{s} may report that {v}",
        SAYINGS,
    ),
    PredicateSpec(
        "member-of",
        "member of",
        (PER, CTY, ORG),
        (ORG,),
        "{s} is a member of {o}",
        "{s} is not a member of {o}",
        "{s} plans to join {o}",
    ),
    PredicateSpec(
        "holds-position",
        "holds position",
        (PER,),
        (ORG,),
        "{s} serves as {v} of {o}",
        "{s} no longer serves as {v} of {o}",
        "{s} is expected to become {v} of {o}",
        TITLES,
    ),
    PredicateSpec(
        "sells-arms-to",
        "sells arms to",
        (CTY, ORG),
        (CTY, ORG),
        "{s} sold {v} to {o}",
        "{s} did not sell {v} to {o}",
        "{s} plans to sell {v} to {o}",
        WEAPONS,
    ),
    PredicateSpec(
        "buys-arms-from",
        "buys arms from",
        (CTY, ORG),
        (CTY, ORG),
        "{s} bought {v} from {o}",
        "{s} did not buy {v} from {o}",
        "{s} may buy {v} from {o}",
        WEAPONS,
    ),
    PredicateSpec(
        "negotiating-sale-of",
        "negotiating sale of",
        (CTY, ORG),
        (CTY, ORG),
        "{s} is negotiating the sale of {v} to {o}",
        "{s} is not negotiating the sale of {v} to {o}",
        "{s} expects to negotiate the sale of {v} to {o}",
        WEAPONS,
    ),
    PredicateSpec(
        "gave",
        "gave",
        (CTY, ORG, PER),
        (CTY, ORG),
        "{s} gave {v} to {o}",
        "{s} did not give {v} to {o}",
        "{s} will give {v} to {o}",
        GIFTS,
    ),
    PredicateSpec(
        "trained", "trained", (CTY, ORG), (ORG, PER), "{s} trained {o}", "{s} did not train {o}", "{s} will train {o}"
    ),
    PredicateSpec(
        "held-joint-exercise-with",
        "held joint exercise with",
        (CTY, ORG),
        (CTY, ORG),
        "{s} held a joint exercise with {o}",
        "{s} did not hold a joint exercise with {o}",
        "{s} plans a joint exercise with {o}",
    ),
    PredicateSpec(
        "supports",
        "supports",
        (PER, CTY, ORG),
        (PER, CTY, ORG, EVT),
        "{s} supports {o}",
        "{s} does not support {o}",
        "{s} may support {o}",
    ),
    PredicateSpec(
        "signed-agreement-with",
        "signed agreement with",
        (CTY, ORG, PER),
        (CTY, ORG),
        "{s} signed an agreement with {o}",
        "{s} did not sign an agreement with {o}",
        "{s} is expected to sign an agreement with {o}",
    ),
    PredicateSpec(
        "criticised",
        "criticised",
        (PER, CTY, ORG),
        (PER, CTY, ORG, EVT),
        "{s} criticised {o}",
        "{s} did not criticise {o}",
        "{s} may criticise {o}",
    ),
)
MONTHS = "January February March April May June July August September October November December".split()
