"""Bulletins API: CRUD and workflow, PDF, the press directory and distribution status.
The public feeds (RSS/Atom) live at /boletines/sala-de-prensa/ and need no login."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from pregon.accounts import access
from pregon.accounts.models import Area
from pregon.agenda.models import Activity
from pregon.bulletins import directory, distribution, selectors, services, tasks
from pregon.bulletins.models import Bulletin, Distribution, MediaContact, MediaList
from pregon.bulletins.pdf import PAPER_SIZES, bulletin_pdf
from pregon.core.api_types import Day, Id, Page
from pregon.core.mail import clean_address

router = Router(tags=["Boletines"])


class BulletinIn(Schema):
    kind: str = "boletin"
    dated: Day | None = None
    title: str
    balazos: list[str]
    body: str
    press_contact: str = ""
    category: str = "institucional"
    area: Id | None = None
    activity: Id | None = None


class BulletinPatch(Schema):
    """A field left out stays as it is; null empties area and activity (a null date
    keeps the date)."""

    kind: str = None
    dated: Day | None = None
    title: str = None
    balazos: list[str] = None
    body: str = None
    press_contact: str = None
    category: str = None
    area: Id | None = None
    activity: Id | None = None


class BulletinOut(Schema):
    id: int
    kind: str
    label: str
    year: int | None
    number: int | None
    dated: date
    title: str
    balazos: list[str]
    body: str
    press_contact: str
    category: str
    area: int | None
    activity: int | None
    status: str
    approved_at: datetime | None
    publication: int | None

    @staticmethod
    def resolve_area(obj) -> int | None:
        return obj.area_id

    @staticmethod
    def resolve_activity(obj) -> int | None:
        return obj.activity_id

    @staticmethod
    def resolve_publication(obj) -> int | None:
        return obj.publication_id


class ContactIn(Schema):
    outlet: str
    person: str
    role: str = ""
    email: str
    phone: str = ""
    media_type: str = "digital"
    coverage_area: str = ""
    lists: list[Id] = []


class ContactOut(Schema):
    id: int
    outlet: str
    person: str
    role: str
    email: str
    phone: str
    media_type: str
    coverage_area: str
    lists: list[int]
    unsubscribed: bool

    @staticmethod
    def resolve_lists(obj) -> list[int]:
        return [m.pk for m in obj.lists.all()]

    @staticmethod
    def resolve_unsubscribed(obj) -> bool:
        return obj.unsubscribed_at is not None


class ListIn(Schema):
    name: str
    description: str = ""


class ListOut(Schema):
    id: int
    name: str
    description: str


class ImportIn(Schema):
    csv: str


class DistributionIn(Schema):
    lists: list[Id]


class RecipientOut(Schema):
    email: str
    status: str
    attempts: int
    sent_at: datetime | None
    error: str


class DistributionOut(Schema):
    id: int
    bulletin: int
    created_at: datetime
    finished_at: datetime | None
    summary: dict
    recipients_visible: bool
    recipients: list[RecipientOut]

    @staticmethod
    def resolve_bulletin(obj) -> int:
        return obj.bulletin_id

    @staticmethod
    def resolve_summary(obj) -> dict:
        return distribution.status_summary(obj)

    @staticmethod
    def resolve_recipients_visible(obj, context) -> bool:
        return distribution.may_see_recipients(context["request"].auth)

    @staticmethod
    def resolve_recipients(obj, context) -> list:
        """Journalists' addresses only for roles that may read the press directory."""
        if not distribution.may_see_recipients(context["request"].auth):
            return []
        return list(obj.recipients.all())


def _bulletin(request: HttpRequest, pk: int) -> Bulletin:
    found = selectors.bulletins_for(request.auth).filter(pk=pk).first()
    if found is None:
        raise Http404("No existe ese boletín.")
    return found


def _fields(data: dict) -> dict:
    for name, model in (("area", Area), ("activity", Activity)):
        if data.get(name) is not None:
            found = model.objects.filter(pk=data[name]).first()
            if not found:
                raise ValidationError({name: f"No existe {name} con id {data[name]}."})
            data[name] = found
    if "dated" in data and data["dated"] is None:
        data.pop("dated")
    return data


@router.get("/bulletins", response=list[BulletinOut])
@paginate(Page)
def list_bulletins(request: HttpRequest, status: str = ""):
    access.check(request.auth, "bulletins.view_bulletin")
    qs = selectors.bulletins_for(request.auth)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post("/bulletins", response={201: BulletinOut})
def create_bulletin(request: HttpRequest, payload: BulletinIn):
    access.check(request.auth, "bulletins.add_bulletin")
    bulletin = services.bulletin_create(author=request.auth, **_fields(payload.dict()))
    return Status(201, bulletin)


@router.get("/bulletins/{pk}", response=BulletinOut)
def get_bulletin(request: HttpRequest, pk: Id):
    access.check(request.auth, "bulletins.view_bulletin")
    return _bulletin(request, pk)


@router.patch("/bulletins/{pk}", response=BulletinOut)
def update_bulletin(request: HttpRequest, pk: Id, payload: BulletinPatch):
    access.check(request.auth, "bulletins.change_bulletin")
    data = _fields(payload.dict(exclude_unset=True))
    return services.bulletin_update(bulletin=_bulletin(request, pk), user=request.auth, **data)


@router.delete("/bulletins/{pk}", response={204: None})
def delete_bulletin(request: HttpRequest, pk: Id):
    access.check(request.auth, "bulletins.delete_bulletin")
    services.bulletin_delete(bulletin=_bulletin(request, pk), user=request.auth)
    return Status(204, None)


@router.post("/bulletins/{pk}/submit", response=BulletinOut)
def submit_bulletin(request: HttpRequest, pk: Id):
    access.check(request.auth, "bulletins.change_bulletin")
    return services.bulletin_submit(bulletin=_bulletin(request, pk), user=request.auth)


@router.post("/bulletins/{pk}/approve", response=BulletinOut)
def approve_bulletin(request: HttpRequest, pk: Id):
    access.check(request.auth, "bulletins.approve_bulletin")
    return services.bulletin_approve(bulletin=_bulletin(request, pk), user=request.auth)


@router.get("/bulletins/{pk}/pdf")
def bulletin_pdf_endpoint(request: HttpRequest, pk: Id, paper: str = "carta"):
    access.check(request.auth, "bulletins.view_bulletin")
    if paper not in PAPER_SIZES:
        raise ValidationError({"paper": "Use «a4» o «carta»."})
    pdf = bulletin_pdf(_bulletin(request, pk), paper)
    return HttpResponse(pdf, content_type="application/pdf")


@router.post("/bulletins/{pk}/distributions", response={201: DistributionOut})
def distribute_bulletin(request: HttpRequest, pk: Id, payload: DistributionIn):
    access.check(request.auth, "bulletins.distribute_bulletin")
    lists = list(MediaList.objects.filter(pk__in=payload.lists))
    if len(lists) != len(set(payload.lists)):
        raise ValidationError({"lists": "Alguna lista no existe."})
    sent = distribution.distribution_create(
        bulletin=_bulletin(request, pk), lists=lists, user=request.auth
    )
    tasks.enqueue_send(sent.pk)
    return Status(201, sent)


@router.get("/distributions/{pk}", response=DistributionOut)
def distribution_status(request: HttpRequest, pk: Id):
    access.check(request.auth, "bulletins.view_bulletin")
    sent = Distribution.objects.filter(pk=pk).first()
    if sent is None:
        raise Http404("No existe ese envío.")
    _bulletin(request, sent.bulletin_id)
    return sent


@router.get("/media-contacts", response=list[ContactOut])
@paginate(Page)
def list_contacts(request: HttpRequest, list_id: Id | None = None):
    access.check(request.auth, "bulletins.view_mediacontact")
    qs = MediaContact.objects.prefetch_related("lists")
    if list_id:
        qs = qs.filter(lists=list_id)
    return qs


@router.post("/media-contacts", response={201: ContactOut})
def create_contact(request: HttpRequest, payload: ContactIn):
    access.check(request.auth, "bulletins.add_mediacontact")
    data = payload.dict(exclude={"lists"})
    try:
        data["email"] = clean_address(data["email"]).lower()
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    contact = MediaContact(**data)
    contact.full_clean(exclude=["email"])  # RFC 6531 mailboxes: clean_address checked it
    contact.save()
    contact.lists.set(MediaList.objects.filter(pk__in=payload.lists))
    return Status(201, contact)


@router.post("/media-contacts/import")
def import_contacts(request: HttpRequest, payload: ImportIn):
    access.check(request.auth, "bulletins.add_mediacontact")
    result = directory.import_contacts(data=payload.csv.encode(), user=request.auth)
    return result.__dict__


@router.get("/media-lists", response=list[ListOut])
@paginate(Page)
def list_lists(request: HttpRequest):
    access.check(request.auth, "bulletins.view_mediacontact")
    return MediaList.objects.all()


@router.post("/media-lists", response={201: ListOut})
def create_list(request: HttpRequest, payload: ListIn):
    access.check(request.auth, "bulletins.add_mediacontact")
    media_list = MediaList(**payload.dict())
    media_list.full_clean()
    media_list.save()
    return Status(201, media_list)
