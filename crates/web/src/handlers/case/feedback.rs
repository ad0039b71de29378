//! The Jobcenter feedback preview: core's `jobcenter_feedback`, and what it leaves out for
//! lack of a consent (for the reader of the preview only).

use super::Names;
use super::prelude::*;
use crate::context::ReqCtx;

/// The Jobcenter feedback preview.
#[derive(Debug, Clone)]
pub struct FeedbackView {
    /// As of.
    pub as_of: String,
    /// Reached.
    pub reached: &'static str,
    /// Offer.
    pub offer: &'static str,
    /// Attempts.
    pub attempt_count: usize,
    /// Attempt dates.
    pub attempt_dates: String,
    /// Participation facts.
    pub participation: Vec<Fact>,
    /// Progress facts.
    pub progress: Vec<Fact>,
    /// What the report leaves out for lack of a consent, for the reader of the preview only
    /// (the report itself never says so: core's `left_out_of_feedback`).
    pub left_out: Vec<&'static str>,
    /// Exit facts.
    pub exit: Vec<Fact>,
    /// Why there is no exit report (when `exit` is empty): no consent, or not closed yet.
    pub no_exit: &'static str,
    /// The reports core can produce now: (kind key, label), each with its preview page.
    pub reports: Vec<(&'static str, &'static str)>,
    /// The reports recorded as sent, newest first.
    pub sent: Vec<SentRow>,
}

/// A report recorded as sent, with its download.
#[derive(Debug, Clone)]
pub struct SentRow {
    /// The kept document's id (its download address).
    pub document: String,
    /// Which report.
    pub kind: &'static str,
    /// Sent on, channel and recipient, in one line.
    pub line: String,
    /// Its SHA-256.
    pub sha256: String,
}

/// The reports of `case` core can produce now, and those recorded as sent.
fn reports(case: &Case, ctx: &ReqCtx) -> (Vec<(&'static str, &'static str)>, Vec<SentRow>) {
    use wegbereiter_core::report::jobcenter_report;
    let lang = ctx.lang;
    let now = ReportKind::ALL
        .iter()
        .filter(|k| jobcenter_report(case, **k, ctx.now, &ctx.tz).is_ok())
        .map(|k| (k.key(), k.label(lang)))
        .collect();
    let sent = case
        .sent_reports
        .iter()
        .rev()
        .map(|r| SentRow {
            document: r.document.to_string(),
            kind: r.kind.label(lang),
            line: format!(
                "{} · {} · {}",
                views::date(r.sent_on, lang),
                r.channel.label(lang),
                r.recipient
            ),
            sha256: r.sha256.to_string(),
        })
        .collect();
    (now, sent)
}

/// The preview for `case` now.
pub(super) fn view(case: &Case, ctx: &ReqCtx, names: &Names) -> FeedbackView {
    let lang = ctx.lang;
    let tr = Tr(lang);
    let d = |x: chrono::NaiveDate| views::date(x, lang);
    let fb = jobcenter_feedback(case, ctx.now, &ctx.tz);
    let mut participation = Vec::new();
    if let Some(p) = &fb.participation {
        participation.push(fact(tr.t("period.start"), d(p.start)));
        participation.push(fact(tr.t("case.key_worker"), names.staff(p.key_worker)));
        participation.push(fact(tr.t("period.planned_end"), d(p.planned_end)));
    }
    let mut progress = Vec::new();
    if let Some(p) = &fb.progress {
        progress.push(fact(
            tr.t("fb.domains"),
            p.domains_worked_on
                .iter()
                .map(|x| x.label(lang))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        for (status, n) in &p.goals_by_status {
            // Each count names what it counts: "Ziele mit Status „offen“ | 2".
            progress.push(fact(
                tr.t("fb.goals_with_status")
                    .replace("{status}", status.label(lang)),
                n.to_string(),
            ));
        }
    }
    let mut exit = Vec::new();
    if let Some(e) = &fb.exit {
        exit.push(fact(tr.t("close.on"), d(e.end_date)));
        exit.push(fact(tr.t("close.reason"), e.reason.label(lang)));
        exit.push(fact(
            tr.t("fb.handovers"),
            e.handovers
                .iter()
                .map(|h| h.label(lang))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        exit.push(fact(
            tr.t("fb.referred_to"),
            e.referred_to
                .iter()
                .map(|k| k.label(lang))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    let no_exit = if case.enrolment.is_none() {
        tr.t("fb.no_exit_not_enrolled")
    } else if case.has_active_consent(ConsentPurpose::JobcenterExit, ctx.local_now) {
        tr.t("fb.no_exit_yet")
    } else {
        tr.t("fb.no_exit_consent")
    };
    let (reports, sent) = reports(case, ctx);
    FeedbackView {
        reports,
        sent,
        no_exit,
        as_of: views::datetime(fb.as_of, lang, ctx.tz),
        reached: if fb.outreach.reached {
            tr.t("form.yes")
        } else {
            tr.t("form.no")
        },
        offer: fb.outreach.offer.label(lang),
        attempt_count: fb.outreach.attempt_count,
        attempt_dates: fb
            .outreach
            .attempt_dates
            .iter()
            .map(|x| d(*x))
            .collect::<Vec<_>>()
            .join(", "),
        participation,
        progress,
        left_out: wegbereiter_core::feedback::left_out_of_feedback(case, ctx.now, &ctx.tz)
            .iter()
            .map(|x| x.label(lang))
            .collect(),
        exit,
    }
}
