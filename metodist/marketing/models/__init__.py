"""Marketing: surveys, partners and agreements, services and promotion, PR, SWOT and PEST."""

from metodist.marketing.models.environment import AnalysisItem, AnalysisKind, EnvironmentAnalysis
from metodist.marketing.models.partners import (
    Agreement,
    AgreementReminder,
    AgreementStatus,
    JointActivity,
    Partner,
    PartnerContact,
    PartnerKind,
)
from metodist.marketing.models.promotion import (
    CampaignMaterial,
    LibraryService,
    MediaMention,
    PressRelease,
    PromotionCampaign,
)
from metodist.marketing.models.surveys import (
    Answer,
    Choice,
    Question,
    QuestionKind,
    Response,
    ResponseSource,
    Section,
    Survey,
    SurveyLink,
    SurveyStatus,
)

__all__ = [
    "Agreement",
    "AgreementReminder",
    "AgreementStatus",
    "AnalysisItem",
    "AnalysisKind",
    "Answer",
    "CampaignMaterial",
    "Choice",
    "EnvironmentAnalysis",
    "JointActivity",
    "LibraryService",
    "MediaMention",
    "Partner",
    "PartnerContact",
    "PartnerKind",
    "PressRelease",
    "PromotionCampaign",
    "Question",
    "QuestionKind",
    "Response",
    "ResponseSource",
    "Section",
    "Survey",
    "SurveyLink",
    "SurveyStatus",
]
