"""Django finds the people's side's models here; each part keeps its own module."""

from lvzhi.requests.citizen_models import CitizenRequestDetail, RequestPhoto  # noqa: F401
from lvzhi.requests.hotline_models import HotlineImport, HotlineOrderDetail  # noqa: F401
from lvzhi.requests.petition_models import Mediation, Petition  # noqa: F401
