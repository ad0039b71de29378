//! `retention …` and `privacy …`: the data-protection officer's commands (domain rules §5,
//! Art. 17 and 18 GDPR).
//!
//! Every command here needs the data-protection officer. Core decides what may go
//! (`wegbereiter_core::retention`), storage carries it out, one transaction per case. Outputs
//! name cases by id, never by a client's name: a plan printed for a meeting or kept in a
//! ticket says nothing about a person.

use chrono::NaiveDate;
use serde::Serialize;
use wegbereiter_core::privacy_request::answered_by;
use wegbereiter_core::retention::{
    self, RetentionAction, RetentionCategory, RetentionPeriod, RetentionRules, Step,
};
use wegbereiter_core::staff::{Role, StaffMember};
use wegbereiter_core::vocab::{Labelled, Lang};
use wegbereiter_storage::{PlannedCase, RetentionError, StepDone};

use crate::app::App;
use crate::args::{PrivacyCmd, RetentionCmd};
use crate::dates::{parse_date_strict, show as show_date};
use crate::error::{CliError, Msg};
use crate::msg;
use crate::output::{label, table, tr};

/// Runs `retention …`.
///
/// # Errors
/// [`CliError::Rule`] without the data-protection officer's role; [`CliError::Usage`] for an
/// unknown category, period or date; [`CliError::Invalid`] for a period the category does not
/// allow; storage errors.
pub async fn retention(app: &App, cmd: RetentionCmd) -> Result<(), CliError> {
    let dpo = app.actor_with_role(Role::DataProtectionOfficer).await?;
    match cmd {
        RetentionCmd::Show => show(app).await,
        RetentionCmd::Set { category, period } => {
            let category = parse_category(&category)?;
            let period = RetentionPeriod::parse(&period).map_err(|de| {
                CliError::Usage(Msg::new(
                    de,
                    format!(
                        "\"{period}\" is no period: e.g. 90d (days), 24m (months), esf, with_data"
                    ),
                ))
            })?;
            RetentionRules::check(category, period).map_err(|de| {
                CliError::Invalid(Msg::new(
                    de,
                    format!(
                        "the period {period} is not possible for \"{}\"",
                        category.label(Lang::En)
                    ),
                ))
            })?;
            let mut rules = app.store.retention_rules().await?;
            rules.periods.retain(|(c, _)| *c != category);
            rules.periods.push((category, period));
            save(app, &dpo, &rules).await?;
            show(app).await
        }
        RetentionCmd::EsfUntil { until } => {
            let until = if until.trim().eq_ignore_ascii_case("none") {
                None
            } else {
                Some(parse_date_strict(&until).map_err(|e| {
                    CliError::Usage(Msg::new(e.message(Lang::De), e.message(Lang::En)))
                })?)
            };
            let mut rules = app.store.retention_rules().await?;
            rules.esf_retention_until = until;
            save(app, &dpo, &rules).await?;
            show(app).await
        }
        RetentionCmd::Plan { upcoming } => {
            let plan = app.store.retention_plan(app.today()).await?;
            print_plan(app, &plan, upcoming)
        }
        RetentionCmd::Apply { yes } => {
            let plan = app.store.retention_plan(app.today()).await?;
            if !yes {
                print_plan(app, &plan, false)?;
                app.out().warn(&msg!(
                    "Nichts geändert. Mit --yes werden die fälligen Schritte ausgeführt; Gelöschtes lässt sich nicht wiederherstellen.",
                    "Nothing changed. With --yes the due steps are carried out; what is erased cannot be restored."
                ));
                return Ok(());
            }
            apply(app, &dpo).await
        }
    }
}

/// Runs `privacy …`.
///
/// # Errors
/// [`CliError::Rule`] without the data-protection officer's role; [`CliError::NotFound`] for
/// an unknown case; [`CliError::Invalid`] when core refuses (open case, done before);
/// storage errors.
pub async fn request(app: &App, cmd: PrivacyCmd) -> Result<(), CliError> {
    let dpo = app.actor_with_role(Role::DataProtectionOfficer).await?;
    let today = app.today();
    let (id, steps, (basis, kind), yes) = match cmd {
        PrivacyCmd::Export { id, output } => return export(app, &dpo, id, output).await,
        PrivacyCmd::Request(cmd) => return super::requests::run(app, &dpo, cmd).await,
        PrivacyCmd::Erase { id, reason, yes } => {
            let case = case_of(app, id).await?;
            let rules = app.store.retention_rules().await?;
            let steps = retention::on_request(&case, &rules, today).map_err(refused)?;
            (
                id,
                steps,
                (
                    format!("Antrag nach Art. 17 DSGVO: {reason}"),
                    answered_by(false),
                ),
                yes,
            )
        }
        PrivacyCmd::Restrict { id, reason } => {
            let case = case_of(app, id).await?;
            let rules = app.store.retention_rules().await?;
            let steps = retention::on_restriction_request(&case, &rules, today).map_err(refused)?;
            (
                id,
                steps,
                (
                    format!("Antrag nach Art. 18 DSGVO: {reason}"),
                    answered_by(true),
                ),
                true,
            )
        }
    };
    if !yes {
        let view = RequestView {
            case_id: id.to_string(),
            carried_out: false,
            steps: steps.iter().map(|s| StepView::of(*s, None)).collect(),
            answered_requests: Vec::new(),
        };
        app.out().emit(&view, |lang| steps_text(lang, &view))?;
        app.out().warn(&msg!(
            "Nichts geändert. Mit --yes wird es ausgeführt; Gelöschtes lässt sich nicht wiederherstellen.",
            "Nothing changed. With --yes it is carried out; what is erased cannot be restored."
        ));
        return Ok(());
    }
    let done = app
        .store
        .carry_out_request(
            id,
            &steps,
            (&basis, kind),
            &dpo.as_actor(),
            app.now(),
            today,
        )
        .await
        .map_err(retention_error)?;
    let view = RequestView {
        case_id: id.to_string(),
        carried_out: true,
        steps: done.steps.iter().map(StepView::done).collect(),
        answered_requests: done.answered.iter().map(|r| r.id().to_string()).collect(),
    };
    app.out().emit(&view, |lang| steps_text(lang, &view))
}

async fn case_of(
    app: &App,
    id: wegbereiter_core::ids::CaseId,
) -> Result<wegbereiter_core::case::Case, CliError> {
    app.store.case_for_retention(id).await?.ok_or_else(|| {
        CliError::NotFound(msg!(
            "Fall {id} gibt es nicht (oder er wurde bereits gelöscht).",
            "There is no case {id} (or it was erased before)."
        ))
    })
}

fn parse_category(key: &str) -> Result<RetentionCategory, CliError> {
    RetentionCategory::from_key(key.trim()).ok_or_else(|| {
        let keys: Vec<&str> = <RetentionCategory as Labelled>::ALL
            .iter()
            .map(|c| c.key())
            .collect();
        let keys = keys.join(", ");
        CliError::Usage(msg!(
            "Unbekannte Kategorie „{key}“; möglich sind: {keys}.",
            "Unknown category \"{key}\"; possible: {keys}."
        ))
    })
}

async fn save(app: &App, dpo: &StaffMember, rules: &RetentionRules) -> Result<(), CliError> {
    app.store
        .set_retention_rules(rules, app.stamp(Some(dpo)))
        .await
        .map_err(retention_error)
}

fn refused(e: retention::ErasureRefused) -> CliError {
    CliError::Invalid(Msg::new(e.german(), e.to_string()))
}

fn retention_error(e: RetentionError) -> CliError {
    match e {
        RetentionError::NotFound(id) => CliError::NotFound(msg!(
            "Fall {id} gibt es nicht (oder er wurde bereits gelöscht).",
            "There is no case {id} (or it was erased before)."
        )),
        RetentionError::Refused(r) => refused(r),
        RetentionError::InvalidRules(de) => CliError::Invalid(Msg::new(
            de.clone(),
            format!("invalid retention rules: {de}"),
        )),
        RetentionError::Request(r) => CliError::Forbidden(Msg::new(r.german(), r.to_string())),
        RetentionError::Storage(e) => e.into(),
        other => CliError::Internal(msg!("{other}", "{other}")),
    }
}

#[derive(Serialize)]
struct RuleView {
    category: &'static str,
    label: &'static str,
    period: String,
    counted_from: &'static str,
    legal_source: &'static str,
    legal_duty: bool,
}

#[derive(Serialize)]
struct RulesView {
    rules: Vec<RuleView>,
    esf_retention_until: Option<NaiveDate>,
}

async fn show(app: &App) -> Result<(), CliError> {
    let rules = app.store.retention_rules().await?;
    let lang = app.lang();
    let view = RulesView {
        rules: rules
            .table()
            .into_iter()
            .map(|r| RuleView {
                category: r.category.key(),
                label: r.category.label(lang),
                period: r.period.to_string(),
                counted_from: r.counted_from,
                legal_source: r.legal_source,
                legal_duty: r.legal_duty,
            })
            .collect(),
        esf_retention_until: rules.esf_retention_until,
    };
    app.out().emit(&view, |lang| {
        let mut t = table(&[
            tr(lang, "Kategorie", "Category"),
            tr(lang, "Schlüssel", "Key"),
            tr(lang, "Frist", "Period"),
            tr(lang, "ab", "from"),
            tr(lang, "Rechtsgrundlage", "Legal source"),
        ]);
        for r in rules.table() {
            t.add_row(vec![
                r.category.label(lang).to_owned(),
                r.category.key().to_owned(),
                r.period.describe(lang),
                r.counted_from.to_owned(),
                r.legal_source.to_owned(),
            ]);
        }
        let until = view.esf_retention_until.map_or_else(
            || tr(lang, "noch nicht mitgeteilt", "not yet given").to_owned(),
            |d| show_date(d, lang),
        );
        format!(
            "{t}\n{} {until}",
            tr(
                lang,
                "ESF-Aufbewahrung bis (Mitteilung der bewilligenden Stelle):",
                "ESF retention until (notice of the granting body):"
            )
        )
    })
}

#[derive(Serialize)]
struct StepView {
    category: &'static str,
    action: RetentionAction,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<u64>,
}

impl StepView {
    fn of(step: Step, planned: Option<(NaiveDate, bool)>) -> Self {
        Self {
            category: step.category.key(),
            action: step.action,
            from: planned.map(|p| p.0),
            due: planned.map(|p| p.1),
            events: None,
        }
    }

    fn done(done: &StepDone) -> Self {
        Self {
            events: Some(done.events),
            ..Self::of(done.step, None)
        }
    }

    fn describe(&self, lang: Lang) -> String {
        let category = RetentionCategory::from_key(self.category).map_or("", |c| label(c, lang));
        let what = match self.action {
            RetentionAction::EraseCase => tr(lang, "ganzen Fall löschen", "erase the whole case"),
            RetentionAction::EraseContent => tr(lang, "Inhalte löschen", "erase the content"),
            RetentionAction::Restrict => {
                tr(lang, "Verarbeitung einschränken", "restrict processing")
            }
        };
        let mut out = format!("{what} ({category})");
        if let Some(from) = self.from {
            out.push_str(&format!(
                " {} {}",
                tr(lang, "ab", "from"),
                show_date(from, lang)
            ));
        }
        if let Some(n) = self.events {
            out.push_str(&format!(", {n} {}", tr(lang, "Einträge", "entries")));
        }
        out
    }
}

#[derive(Serialize)]
struct RequestView {
    case_id: String,
    carried_out: bool,
    steps: Vec<StepView>,
    /// The requests of the register this answered (recorded as done).
    answered_requests: Vec<String>,
}

fn steps_text(lang: Lang, view: &RequestView) -> String {
    let head = if view.carried_out {
        tr(lang, "Ausgeführt für Fall", "Carried out for case")
    } else {
        tr(
            lang,
            "Würde ausgeführt für Fall",
            "Would be carried out for case",
        )
    };
    let mut out = format!("{head} {}:", view.case_id);
    for s in &view.steps {
        out.push_str(&format!("\n  - {}", s.describe(lang)));
    }
    for r in &view.answered_requests {
        out.push_str(&format!(
            "\n{} {r}",
            tr(
                lang,
                "Als erledigt vermerkt: Antrag",
                "Recorded as done: request"
            )
        ));
    }
    out
}

#[derive(Serialize)]
struct PlanCaseView {
    case_id: String,
    status: &'static str,
    ended_on: Option<NaiveDate>,
    restricted: bool,
    steps: Vec<StepView>,
    kept: Vec<KeptView>,
}

#[derive(Serialize)]
struct KeptView {
    category: &'static str,
    reason: &'static str,
}

fn plan_views(plan: &[PlannedCase], upcoming: bool) -> Vec<PlanCaseView> {
    plan.iter()
        .filter_map(|p| {
            let steps: Vec<StepView> = p
                .plan
                .steps
                .iter()
                .filter(|s| upcoming || s.due)
                .map(|s| StepView::of(s.into(), Some((s.from, s.due))))
                .collect();
            if steps.is_empty() && !upcoming {
                return None;
            }
            Some(PlanCaseView {
                case_id: p.case_id.to_string(),
                status: p.status.key(),
                ended_on: p.ended_on,
                restricted: p.restricted,
                steps,
                kept: p
                    .plan
                    .kept
                    .iter()
                    .map(|k| KeptView {
                        category: k.category.key(),
                        reason: k.reason,
                    })
                    .collect(),
            })
        })
        .collect()
}

fn print_plan(app: &App, plan: &[PlannedCase], upcoming: bool) -> Result<(), CliError> {
    let views = plan_views(plan, upcoming);
    app.out().emit(&views, |lang| {
        if views.is_empty() {
            return tr(
                lang,
                "Heute ist nichts zu löschen oder einzuschränken.",
                "Nothing to erase or restrict today.",
            )
            .to_owned();
        }
        let mut t = table(&[
            tr(lang, "Fall", "Case"),
            tr(lang, "beendet", "ended"),
            tr(lang, "Schritte", "Steps"),
            tr(lang, "aufbewahrt", "kept"),
        ]);
        for v in &views {
            let steps: Vec<String> = v
                .steps
                .iter()
                .map(|s| {
                    let due = if s.due == Some(true) {
                        tr(lang, "fällig: ", "due: ")
                    } else {
                        ""
                    };
                    format!("{due}{}", s.describe(lang))
                })
                .collect();
            let kept: Vec<String> = v
                .kept
                .iter()
                .map(|k| {
                    let c = RetentionCategory::from_key(k.category).map_or("", |c| label(c, lang));
                    format!("{c}: {}", k.reason)
                })
                .collect();
            t.add_row(vec![
                v.case_id.clone(),
                v.ended_on.map(|d| show_date(d, lang)).unwrap_or_default(),
                steps.join("\n"),
                kept.join("\n"),
            ]);
        }
        t.to_string()
    })
}

#[derive(Serialize)]
struct RefusedView {
    case_id: String,
    reason: &'static str,
}

async fn apply(app: &App, dpo: &StaffMember) -> Result<(), CliError> {
    let applied = app
        .store
        .apply_due(app.today(), app.stamp(Some(dpo)))
        .await?;
    let refused: Vec<RefusedView> = applied
        .refused
        .iter()
        .map(|(id, why)| RefusedView {
            case_id: id.to_string(),
            reason: why.german(),
        })
        .collect();
    let view = serde_json::json!({
        "cases": applied.cases,
        "steps": applied.steps,
        "refused": refused,
        "staff_accounts": applied.staff_accounts,
    });
    app.out().emit(&view, |lang| {
        let mut out = format!(
            "{} {} {} {}.",
            applied.steps,
            tr(lang, "Schritte in", "steps carried out in"),
            applied.cases,
            tr(lang, "Fällen ausgeführt", "cases")
        );
        if applied.staff_accounts > 0 {
            out.push_str(&format!(
                "\n{} {}.",
                applied.staff_accounts,
                tr(
                    lang,
                    "deaktivierte Mitarbeiterkonten nach Ablauf ihrer Frist gelöscht (die Kennung bleibt)",
                    "deactivated staff accounts erased after their period (the id stays)"
                )
            ));
        }
        for r in &refused {
            out.push_str(&format!(
                "\n{} {}: {}",
                tr(
                    lang,
                    "Nicht ausgeführt für Fall",
                    "Not carried out for case"
                ),
                r.case_id,
                r.reason
            ));
        }
        out
    })
}

/// `privacy export`: the access export as JSON or a German document, to stdout or a file.
async fn export(
    app: &App,
    dpo: &StaffMember,
    id: wegbereiter_core::ids::CaseId,
    output: Option<std::path::PathBuf>,
) -> Result<(), CliError> {
    let export = app
        .store
        .access_export(id, dpo.id, app.now(), app.today())
        .await?
        .ok_or_else(|| {
            CliError::NotFound(msg!(
                "Fall {id} gibt es nicht (oder er wurde gelöscht).",
                "There is no case {id} (or it was erased)."
            ))
        })?;
    let names = app.directory().await?;
    let rendered = if app.json() {
        serde_json::to_string_pretty(&export).map_err(|e| {
            CliError::Internal(msg!(
                "JSON-Ausgabe fehlgeschlagen: {e}",
                "JSON output failed: {e}"
            ))
        })?
    } else {
        export_text(&export, &dpo.as_actor(), &names, app.tz(), app.lang())
    };
    match output {
        None => app.out().emit(&export, |_| rendered.clone()),
        Some(path) => {
            crate::files::write_private(&path, rendered.as_bytes()).map_err(|e| {
                let shown = path.display();
                CliError::Unavailable(msg!(
                    "{shown} konnte nicht geschrieben werden: {e}",
                    "could not write {shown}: {e}"
                ))
            })?;
            let shown = path.display().to_string();
            let view = ExportWritten {
                written: shown.clone(),
                cases: export.cases.len(),
            };
            app.out().emit(&view, |lang| {
                format!(
                    "{} {shown} ({} {})",
                    tr(lang, "Auskunft geschrieben:", "Access export written:"),
                    view.cases,
                    tr(lang, "Fälle", "cases")
                )
            })
        }
    }
}

#[derive(Serialize)]
struct ExportWritten {
    written: String,
    cases: usize,
}

/// The access export as a readable document: per case the identity, the retention dates,
/// the history in words and every read of the file.
fn export_text(
    export: &wegbereiter_storage::AccessExport,
    reader: &wegbereiter_core::staff::Actor,
    names: &crate::app::Directory,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        tr(
            lang,
            "Auskunft nach Art. 15 DSGVO, erstellt am",
            "Access export (Art. 15 GDPR), made on"
        ),
        show_date(export.made_on, lang)
    );
    let matched = match export.matched_by {
        wegbereiter_storage::PersonMatch::NameAndDateOfBirth => tr(
            lang,
            "Alle Fälle mit demselben Namen und Geburtsdatum.",
            "Every case with the same name and date of birth.",
        ),
        wegbereiter_storage::PersonMatch::OnlyThisCase => tr(
            lang,
            "Kein Geburtsdatum gespeichert: nur dieser Fall.",
            "No date of birth stored: this case only.",
        ),
    };
    let _ = writeln!(out, "{matched}");
    for exported in &export.cases {
        let case = &exported.case;
        let client = &case.referral.client;
        let _ = writeln!(
            out,
            "\n== {} {} ({})",
            tr(lang, "Fall", "Case"),
            case.id,
            label(case.status, lang)
        );
        if case.is_restricted() {
            let _ = writeln!(
                out,
                "{}",
                tr(
                    lang,
                    "Verarbeitung eingeschränkt (Art. 18 DSGVO).",
                    "Processing restricted (Art. 18 GDPR)."
                )
            );
        }
        let _ = writeln!(
            out,
            "{}: {}, {}: {}",
            tr(lang, "Name", "Name"),
            client.sort_name(),
            tr(lang, "Geburtsdatum", "Date of birth"),
            client
                .date_of_birth
                .map_or_else(|| "–".to_owned(), |d| show_date(d, lang))
        );
        if let Some(a) = &client.address {
            let _ = writeln!(
                out,
                "{}: {}, {} {}",
                tr(lang, "Anschrift", "Address"),
                a.street,
                a.postcode.as_str(),
                a.city
            );
        }
        let _ = writeln!(
            out,
            "{}: {}, {}",
            tr(lang, "Zuweisung", "Referral"),
            case.referral.jobcenter,
            show_date(case.referral.referral_date, lang)
        );
        let _ = writeln!(out, "\n{}", tr(lang, "Aufbewahrung:", "Retention:"));
        for r in &exported.retention {
            let until = match (r.from, r.kept_because) {
                (Some(d), _) => format!("{} {}", tr(lang, "bis", "until"), show_date(d, lang)),
                (None, Some(why)) => why.to_owned(),
                (None, None) => "–".to_owned(),
            };
            let _ = writeln!(
                out,
                "  - {} ({}): {until}",
                label(r.category, lang),
                r.period.describe(lang)
            );
        }
        let _ = writeln!(out, "\n{}", tr(lang, "Verlauf:", "History:"));
        for e in &exported.history {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                crate::dates::show_time(e.recorded_at, tz, lang),
                names.login(e.actor),
                describe_event(&e.event, reader, names, lang)
            );
        }
        let _ = writeln!(
            out,
            "\n{}",
            tr(lang, "Wer die Akte gelesen hat:", "Who read the file:")
        );
        if exported.reads.is_empty() {
            let _ = writeln!(out, "  –");
        }
        for r in &exported.reads {
            let who = r
                .reader_name
                .clone()
                .or_else(|| r.reader_login.clone())
                .unwrap_or_else(|| names.login(r.reader));
            let _ = writeln!(
                out,
                "  {} {who}: {}",
                crate::dates::show_time(r.at, tz, lang),
                access_kind(r.kind, lang)
            );
        }
    }
    out
}

fn access_kind(kind: wegbereiter_core::ports::AccessKind, lang: Lang) -> &'static str {
    use wegbereiter_core::ports::AccessKind;
    match kind {
        AccessKind::View => tr(lang, "Fallakte angesehen", "case file viewed"),
        AccessKind::History => tr(lang, "Verlauf angesehen", "history viewed"),
        AccessKind::JobcenterFeedback => {
            tr(lang, "Rückmeldung an das Jobcenter", "Jobcenter feedback")
        }
        AccessKind::Export => tr(lang, "exportiert oder gedruckt", "exported or printed"),
        _ => tr(lang, "gelesen", "read"),
    }
}

/// An event in core's words as the data-protection officer reads it: psychologist notes
/// are withheld from this document (they are in the JSON, for a psychologist to review).
fn describe_event(
    event: &wegbereiter_core::event::CaseEvent,
    reader: &wegbereiter_core::staff::Actor,
    names: &crate::app::Directory,
    lang: Lang,
) -> String {
    wegbereiter_core::case_file::describe(event, reader, lang, names).text()
}
