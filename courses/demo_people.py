"""The demo district's people as plain data: chambers, businesses, the names trainees are drawn
from, the staff with their roles (loaded by `manage.py seed_demo`)."""

import unicodedata

from people.models import (
    Chamber,
    Membership,
)

DEMO_PASSWORD = "lernwerkstatt"  # noqa: S105 - the documented password of the demo accounts
ADMIN_EMAIL = "admin@demo.example"
COORDINATOR_EMAIL = "koordination@demo.example"
INSTRUCTOR_EMAIL = "ausbilder@demo.example"
TRAINEE_EMAIL = "azubi@demo.example"
BUSINESS_EMAIL = "betrieb@demo.example"

CHAMBERS = [
    ("HWK-HL", "Handwerkskammer Heideland", Chamber.Kind.HWK),
    ("IHK-HL", "IHK Heideland-Mühlenfeld", Chamber.Kind.IHK),
]

BUSINESSES = [
    # name, chamber, member number, city, occupation of its apprentices
    ("Tischlerei Schröder GmbH", "HWK-HL", "HWK-10427", "Heidestadt", "Tischler:in"),
    (
        "Elektro Köhler & Söhne",
        "HWK-HL",
        "HWK-10988",
        "Mühlenfeld",
        "Elektroniker:in für Energie- und Gebäudetechnik",
    ),
    ("Metallbau Weiß KG", "HWK-HL", "HWK-11305", "Großenwörde", "Metallbauer:in"),
    ("Zahntechnik Güldner", "HWK-HL", "HWK-11872", "Heidestadt", "Zahntechniker:in"),
    ("Kfz-Meisterbetrieb Brückner", "HWK-HL", "HWK-12034", "Lüttenbüttel", "Kfz-Mechatroniker:in"),
    ("Sanitär Jäger & Groß", "HWK-HL", "HWK-12561", "Mühlenfeld", "Anlagenmechaniker:in SHK"),
    (
        "Müller Präzisionstechnik GmbH",
        "IHK-HL",
        "IHK-400117",
        "Heidestadt",
        "Industriemechaniker:in",
    ),
    ("Heide Automation AG", "IHK-HL", "IHK-400342", "Großenwörde", "Mechatroniker:in"),
]

FIRST_NAMES = [
    "Jörg",
    "Jürgen",
    "Björn",
    "Sören",
    "Jonas",
    "Lukas",
    "Maximilian",
    "Mustafa",
    "Ömer",
    "Hüseyin",
    "Malte",
    "Finn",
    "Torben",
    "Niklas",
    "Jörn",
    "Özlem",
    "Ayşe",
    "Anna-Lena",
    "Lea",
    "Hannah",
    "Leonie",
    "Zoë",
    "Mia",
    "Emilia",
    "Käthe",
    "Bärbel",
    "Sophie",
    "Marlene",
    "Greta",
    "Ülkü",
]
LAST_NAMES = [
    "Müller",
    "Schäfer",
    "Weiß",
    "Groß",
    "Köhler",
    "Schröder",
    "Jäger",
    "Böhm",
    "Krüger",
    "Hoffmann",
    "Öztürk",
    "Yılmaz",
    "Strauß",
    "Meißner",
    "Brückner",
    "Günther",
    "Fuß",
    "Nußbaum",
    "Lübke",
    "Dietrich",
    "Wöhler",
    "Schütz",
    "Grünewald",
    "Vöhringer",
    "Kühn",
    "Bäcker",
    "Rößler",
    "Hölzl",
]

STAFF = [
    # e-mail, first name, last name, role, school, is the account of the README
    (ADMIN_EMAIL, "Almut", "Förster", Membership.Role.DISTRICT_ADMIN, None),
    (COORDINATOR_EMAIL, "Katrin", "Weißenborn", Membership.Role.COORDINATOR, "BBS1"),
    (INSTRUCTOR_EMAIL, "Jörg", "Hänsel", Membership.Role.INSTRUCTOR, "BBS1"),
    ("s.gruenberg@bbs1.demo.example", "Sabine", "Grünberg", Membership.Role.INSTRUCTOR, "BBS1"),
    ("koordination@bbs2.demo.example", "Dirk", "Strüver", Membership.Role.COORDINATOR, "BBS2"),
    ("m.oeztuerk@bbs2.demo.example", "Murat", "Öztürk", Membership.Role.INSTRUCTOR, "BBS2"),
    ("h.loessner@bbs2.demo.example", "Heike", "Lößner", Membership.Role.INSTRUCTOR, "BBS2"),
    ("koordination@bbs3.demo.example", "Gesine", "Möller", Membership.Role.COORDINATOR, "BBS3"),
    ("u.baerwald@bbs3.demo.example", "Uwe", "Bärwald", Membership.Role.INSTRUCTOR, "BBS3"),
    ("f.suess@bbs3.demo.example", "Frauke", "Süß", Membership.Role.INSTRUCTOR, "BBS3"),
]


def ascii_slug(text: str) -> str:
    """German transliteration for e-mail addresses: Jörg Weiß -> joerg.weiss."""
    for umlaut, plain in {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
    }.items():
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum() or c in ".-")
