"""The people side of the data set: the district with its schools, the chambers and their
businesses, an instructor per workshop, the trainees (COPY), and the people the query bench signs
in as."""

from people.models import Business, Chamber, District, Membership, School, TraineeProfile, User

from .load import copy_rows
from .sizes import BUSINESSES, CHAMBERS, SCHOOLS, WORKSHOPS_PER_SCHOOL


def schools() -> list[School]:
    district = District.objects.create(name="Landkreis Benchmark", code="bench")
    return [
        School.objects.create(district=district, name=f"BBS {i + 1}", code=f"B{i + 1}", city="Ort")
        for i in range(SCHOOLS)
    ]


def businesses() -> list[Business]:
    chambers = [
        Chamber.objects.create(name="HWK Bench", code="hwk-bench", kind="hwk"),
        Chamber.objects.create(name="IHK Bench", code="ihk-bench", kind="ihk"),
    ][:CHAMBERS]
    return Business.objects.bulk_create(
        Business(name=f"Betrieb {i}", chamber=chambers[i % CHAMBERS], member_number=str(i))
        for i in range(BUSINESSES)
    )


def instructors() -> list[User]:
    """One per workshop; each gets the instructor role at its workshop's school later."""
    return User.objects.bulk_create(
        User(email=f"ausbilder{i}@bench.example", first_name="Ausbilder", last_name=str(i))
        for i in range(SCHOOLS * WORKSHOPS_PER_SCHOOL)
    )


def trainees(count: int, businesses: list[Business]) -> int:
    """COPY `count` trainees with their profiles; returns the id of the first one (azubi0)."""
    trainee_base = User.objects.order_by("-id").values_list("id", flat=True).first() + 1
    copy_rows(
        User,
        ["id", "password", "email", "first_name", "last_name"],
        (
            (trainee_base + i, "!", f"azubi{i}@bench.example", "Azubi", f"Nr. {i}")
            for i in range(count)
        ),
    )
    copy_rows(
        TraineeProfile,
        ["id", "user", "kind", "business", "occupation", "lehrlingsrolle_number"],
        (
            (
                i + 1,
                trainee_base + i,
                "apprentice" if i % 4 else "staff",
                businesses[(trainee_base + i) % BUSINESSES].pk,
                "Mechatroniker:in",
                f"LR-{i}" if i % 4 else None,
            )
            for i in range(count)
        ),
    )
    return trainee_base


def sign_in_people(schools, businesses, instructors, workshops) -> None:
    # The people the query bench signs in as: a coordinator and an instructor role per workshop
    # of the first school, the contact of the first business, and a trainee (azubi0).
    coordinator = User.objects.create(
        email="koordination@bench.example", first_name="Koordination", last_name="Bench"
    )
    contact = User.objects.create(
        email="betrieb@bench.example", first_name="Kontakt", last_name="Bench"
    )
    Membership.objects.bulk_create(
        [
            Membership(user=coordinator, role="coordinator", school=schools[0]),
            Membership(user=contact, role="business_contact", business=businesses[0]),
            *(
                Membership(user=instructors[i], role="instructor", school_id=ws.school_id)
                for i, ws in enumerate(workshops)
            ),
        ]
    )
