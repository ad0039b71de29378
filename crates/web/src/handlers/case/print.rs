//! The print view of a case file (on paper: core's case-file model for `Medium::Paper`, so
//! the psychologist compartment never goes on paper), the consent receipt and the ESF Plus
//! questionnaire. The announcement letter is in [`super::letter`].

use askama::Template;
use wegbereiter_core::case_file::Medium;
use wegbereiter_core::esf::{QuestionnaireDocument, questionnaire_document};
use wegbereiter_core::ports::AccessKind;

use super::prelude::*;
use super::{Loaded, Show, goals, overview, record, referrals, social};
use crate::context::ReqCtx;
use crate::handlers::ok;
use crate::views::Layout;

/// A section of the case file on paper as the model gives it: its facts, its entries (each
/// one line of "label: value" pairs, so that no table is wider than the page) or its
/// sentences.
#[derive(Debug, Clone)]
pub struct PaperSection {
    /// The section's title.
    pub title: &'static str,
    /// Its facts.
    pub facts: Vec<Fact>,
    /// One line per entry.
    pub entries: Vec<String>,
    /// Its sentences.
    pub lines: Vec<String>,
}

impl PaperSection {
    /// Section `key` of `file`, if it has anything to show.
    fn of(file: &CaseFile, key: SectionKey, show: Show) -> Option<Self> {
        let section = file.section(key).filter(|s| !s.is_empty())?;
        Some(Self {
            title: section.title,
            facts: show.facts(&section.facts),
            entries: if section.lines.is_empty() {
                section
                    .entries
                    .iter()
                    .map(|e| {
                        e.facts
                            .iter()
                            .filter(|f| !f.value.is_missing())
                            .map(|f| (f.label, show.value(&f.value)))
                            .map(|(label, v)| format!("{label}: {v}"))
                            .collect::<Vec<_>>()
                            .join(" · ")
                    })
                    .collect()
            } else {
                Vec::new()
            },
            lines: section.lines.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "print.html")]
struct PrintPage {
    /// Outreach: announcement letters and contact attempts.
    outreach: Vec<PaperSection>,
    /// Enrolment, pauses, consents, ESF Plus entry data.
    participation: Vec<PaperSection>,
    /// Secrecy releases and what was passed on to services.
    services: Vec<PaperSection>,
    /// Phase 2 attendance.
    attendance: Vec<PaperSection>,
    l: Layout,
    id: String,
    no: String,
    name: String,
    status: &'static str,
    printed: String,
    head: Vec<Fact>,
    referral_facts: Vec<Fact>,
    client_facts: Vec<Fact>,
    period_facts: Vec<Fact>,
    domains: Vec<social::DomainRow>,
    goals: Vec<goals::GoalRow>,
    contacts: Vec<super::contacts::ContactRow>,
    referrals: Vec<referrals::ReferralRow>,
    handovers: Vec<super::handover::HandoverView>,
    closure_facts: Vec<Fact>,
    previous_closures: Vec<Fact>,
}

/// GET /cases/{id}/print
pub async fn print(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Read).await?;
    record(&state, &ctx, &user, opened.case.id, AccessKind::Export).await?;
    // The printout may leave the office: core's model on paper leaves the psychologist
    // compartment out, even when a psychologist prints (rule R14).
    let loaded = Loaded::of(&state, &ctx, &user, &opened, Medium::Paper).await?;
    let (case, file, show) = (&opened.case, &loaded.file, loaded.show);
    let tr = Tr(ctx.lang);
    let facts = |key| {
        file.section(key)
            .map(|s| show.facts(&s.facts))
            .unwrap_or_default()
    };
    let ov = overview::part(&state, &ctx, case, file, show);
    let ho = super::handover::part(file, show, tr);
    let cl = super::closure::part(case, file, show, tr);
    let paper = |keys: &[SectionKey]| -> Vec<PaperSection> {
        keys.iter()
            .filter_map(|k| PaperSection::of(file, *k, show))
            .collect()
    };
    ok(&PrintPage {
        outreach: paper(&[SectionKey::Letters, SectionKey::Attempts]),
        participation: paper(&[
            SectionKey::Enrolment,
            SectionKey::Pauses,
            SectionKey::Consents,
            SectionKey::EsfEntry,
        ]),
        services: paper(&[SectionKey::SecrecyReleases, SectionKey::Disclosures]),
        attendance: paper(&[SectionKey::Attendance]),
        l: Layout::new(&ctx, "case.title", "").titled(case.referral.client.sort_name()),
        id: case.id.to_string(),
        no: views::case_no(case.id),
        name: file.title.clone(),
        status: case.status.label(ctx.lang),
        printed: views::datetime(ctx.now, ctx.lang, ctx.tz),
        head: overview::head(case, file, show, tr),
        referral_facts: ov.referral_facts,
        client_facts: ov.client_facts,
        period_facts: facts(SectionKey::Period),
        domains: social::rows(file, ctx.lang)
            .into_iter()
            .filter(|d| d.assessed)
            .collect(),
        goals: goals::rows(file, show),
        contacts: super::contacts::rows(&state, case, file, show, "print", &loaded.names).await?,
        referrals: referrals::rows(file, show),
        handovers: ho.handovers,
        closure_facts: cl.closure_facts,
        previous_closures: cl.previous_closures,
    })
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    l: Layout,
    id: String,
    sender: String,
    sender_address: Vec<String>,
    title: &'static str,
    client: String,
    reference: String,
    purpose: &'static str,
    form: &'static str,
    given: String,
    withdrawn: String,
    version: u32,
    text: &'static str,
    note: &'static str,
    printed: String,
}

/// GET /cases/{id}/enrolment/consents/{consent}/receipt: the receipt of a consent given or
/// withdrawn, printable for the client (purpose, the wording agreed to with its version,
/// form and dates). Access as for viewing the case; recorded in the access log as an export.
pub async fn consent_receipt(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, consent)): Path<(String, String)>,
) -> Result<Response, AppError> {
    use wegbereiter_core::consent::ReceiptKind;
    let opened = open(&state, &user, &id, Need::Read).await?;
    let case = &opened.case;
    let consent = uuid::Uuid::parse_str(&consent)
        .map(wegbereiter_core::ids::ConsentId::from_uuid)
        .map_err(|_| AppError::NotFound)?;
    let receipt =
        wegbereiter_core::consent::receipt(case, consent, ctx.lang).ok_or(AppError::NotFound)?;
    record(&state, &ctx, &user, case.id, AccessKind::Export).await?;
    let tr = Tr(ctx.lang);
    let (title, note) = match receipt.kind {
        ReceiptKind::Given => ("receipt.title_given", "receipt.note_given"),
        ReceiptKind::Withdrawn => ("receipt.title_withdrawn", "receipt.note_withdrawn"),
    };
    let letters = &state.letters;
    ok(&ReceiptPage {
        l: Layout::new(&ctx, title, ""),
        id: case.id.to_string(),
        sender: letters.project_name.clone(),
        sender_address: letters.address.clone(),
        title: tr.t(title),
        client: receipt.client.clone(),
        reference: views::case_no(case.id),
        purpose: receipt.purpose.label(ctx.lang),
        form: receipt.form.label(ctx.lang),
        given: views::date(receipt.given_on, ctx.lang),
        withdrawn: receipt
            .withdrawn_at
            .map(|at| views::datetime(at, ctx.lang, ctx.tz))
            .unwrap_or_default(),
        version: receipt.text_version,
        text: receipt.text,
        note: tr.t(note),
        printed: views::datetime(ctx.now, ctx.lang, ctx.tz),
    })
}

#[derive(Template)]
#[template(path = "esf_questionnaire.html")]
struct QuestionnairePage {
    l: Layout,
    id: String,
    doc: QuestionnaireDocument,
}

/// The questionnaire of the case `id` as core words it for today, once the reader may see
/// the case; recorded in the access log as an export. 404 for a case that was never
/// enrolled.
async fn questionnaire_of(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    id: &str,
) -> Result<(CaseId, QuestionnaireDocument), AppError> {
    let opened = open(state, user, id, Need::Read).await?;
    let case = &opened.case;
    let doc = questionnaire_document(case, &state.letters, ctx.today(), ctx.lang)
        .ok_or(AppError::NotFound)?;
    record(state, ctx, user, case.id, AccessKind::Export).await?;
    Ok((case.id, doc))
}

/// GET /cases/{id}/esf/questionnaire: the ESF Plus questionnaire of a participant (core's
/// `esf::questionnaire_document`: entry and exit items as recorded) printable for the
/// client's and the worker's signature, ESF evidence. 404 for a case that was never enrolled.
/// Access as for viewing the case; recorded in the access log as an export.
pub async fn esf_questionnaire(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (case, doc) = questionnaire_of(&state, &ctx, &user, &id).await?;
    ok(&QuestionnairePage {
        l: Layout::new(&ctx, "esf.questionnaire_title", ""),
        id: case.to_string(),
        doc,
    })
}

/// GET /cases/{id}/esf/questionnaire/pdf: the same questionnaire as a PDF/A-2b download,
/// laid out by `wegbereiter-documents`.
pub async fn esf_questionnaire_pdf(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (case, doc) = questionnaire_of(&state, &ctx, &user, &id).await?;
    let bytes = super::pdf::render(doc, wegbereiter_documents::esf_questionnaire).await?;
    let file = format!("esf-fragebogen-{}.pdf", case.case_number());
    Ok(super::pdf::download(&file, bytes))
}

/// GET /cases/{id}/print/pdf: the case summary (*Fallübersicht*) as a PDF/A download for the
/// key worker, core's `case_file::summary_document` over the case file on paper (never the
/// psychologist compartment); recorded in the access log as an export.
pub async fn summary_pdf(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Read).await?;
    let loaded = Loaded::of(&state, &ctx, &user, &opened, Medium::Paper).await?;
    record(&state, &ctx, &user, opened.case.id, AccessKind::Export).await?;
    let show = loaded.show;
    let doc = wegbereiter_core::case_file::summary_document(
        &loaded.file,
        &opened.case.id.case_number(),
        &state.letters,
        ctx.today(),
        user.display_name.as_str(),
        ctx.lang,
        &|at| views::datetime(at, show.lang, show.tz),
    );
    let bytes = super::pdf::render(doc, wegbereiter_documents::case_summary).await?;
    let file = format!("falluebersicht-{}.pdf", opened.case.id.case_number());
    Ok(super::pdf::download(&file, bytes))
}
