"""Teaches schemathesis the formats /openapi.json names for rules no JSON Schema states.

The server decides these rules (check digits, dates counted from the submission day, public IP
addresses, page cursors it issued); the spec names each as a `format`. Schemathesis generates a
value of an unknown format as any string, which the server rightly refuses, so the positive cases
would be wrong, not the server. Each strategy here draws valid values only: a subset is enough for
generation, while what the server accepts stays the spec's and the server's to say.
"""

import base64
import json
from datetime import date, timedelta

import schemathesis
from hypothesis import strategies as st

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARACTERS = "10X98765432"


def gb11643(area_codes):
    """GB 11643: area code, a real birth date between 1950 and 2000, sequence, check character."""

    def build(area, born, sequence):
        first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
        total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS))
        return first17 + CHECK_CHARACTERS[total % 11]

    return st.builds(
        build,
        st.sampled_from(area_codes),
        st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)),
        st.integers(min_value=0, max_value=999),
    )


def cursor(kind, key):
    return key.map(lambda values: base64.urlsafe_b64encode(json.dumps([kind, *values]).encode()).decode())


text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-:.TZ", max_size=30)

schemathesis.openapi.format("gb11643-resident-id", gb11643(["110101", "310104", "440305"]))
schemathesis.openapi.format("gb11643-residence-permit", gb11643(["810000", "820000", "830000"]))
schemathesis.openapi.format(
    "id-valid-until",
    st.one_of(
        st.just("long-term"),
        st.dates(min_value=date.today() + timedelta(days=62), max_value=date(2099, 12, 31)).map(str),
    ),
)
schemathesis.openapi.format(
    "public-ip",
    st.one_of(
        st.builds(
            "{}.{}.{}.{}".format,
            st.sampled_from([36, 58, 114, 183, 220]),
            *[st.integers(min_value=0, max_value=255)] * 2,
            st.integers(min_value=1, max_value=254),
        ),
        st.lists(st.integers(min_value=0, max_value=0xFFFF), min_size=6, max_size=6).map(
            lambda hextets: ":".join(["240e", "3b0", *(f"{h:x}" for h in hextets)])
        ),
    ),
)
# Fixed-line numbers only, so an emergency contact never repeats the mobile number.
schemathesis.openapi.format(
    "phone-other-than-mobile", st.from_regex(r"\A0[1-9][0-9]{1,2}-[1-9][0-9]{6,7}\Z")
)
schemathesis.openapi.format("filings-cursor", cursor("filings", st.tuples(text, text)))
schemathesis.openapi.format(
    "bureau-queue-cursor", cursor("bureau-queue", st.tuples(st.integers(0, 1), text, text))
)
schemathesis.openapi.format(
    "registry-services-cursor",
    cursor("registry-services", st.tuples(text, st.integers(0, 999_999), text)),
)
schemathesis.openapi.format(
    "shell-subjects-cursor", cursor("registry-shell-subjects", st.tuples(text))
)


def repeats(items, key):
    keys = [key(item) for item in items]
    return len(set(keys)) != len(keys)


# Lists whose items must be unique by a key JSON Schema cannot name (it compares whole items).
UNIQUE_BY = {
    "languages": str.lower,
    "domains": str.lower,
    "platforms": lambda platform: platform.get("os"),
    "sdks": lambda sdk: f"{sdk.get('provider')}\0{sdk.get('name')}".lower(),
    "preApprovals": lambda approval: approval.get("category"),
}


def breaks_uniqueness(app):
    for name, key in UNIQUE_BY.items():
        items = app.get(name)
        if isinstance(items, list) and all(isinstance(item, (str, dict)) for item in items):
            try:
                if repeats(items, key):
                    return True
            except (AttributeError, TypeError):
                return False
    return False


def given(form, key):
    return form.get(key) is not None


@schemathesis.hook
def filter_body(context, body):
    """Drops registration forms that break a rule the spec states only in words.

    Lists that repeat an item by its key, and a subject number with an operator (whose province must
    be the one the number's abbreviation names): such forms are not valid, whatever they look like.
    A subject number must also be one the registry holds under the form's certificate (else 409), and
    the fuzzed system's registry is empty: forms naming one are left to the tests that register it.
    """
    form = body.get("form", body) if isinstance(body, dict) else None
    if not isinstance(form, dict):
        return True
    if given(form, "existingSubjectNumber"):
        return False
    app = form.get("app")
    return not (isinstance(app, dict) and breaks_uniqueness(app))
