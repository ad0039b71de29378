//! Enrolment: the key-worker period, its extensions and pauses, consents and the ESF Plus
//! entry data.

use super::prelude::*;

/// A consent.
#[derive(Debug, Clone)]
pub struct ConsentRow {
    /// Id.
    pub id: String,
    /// Purpose.
    pub purpose: String,
    /// Form.
    pub form: String,
    /// Given.
    pub given: String,
    /// Withdrawn at, or "".
    pub withdrawn: String,
    /// In force now.
    pub active: bool,
}

/// What the enrolment section shows.
#[derive(Debug, Clone)]
pub struct Part {
    /// Enrolment.
    pub enrolment_facts: Vec<Fact>,
    /// The key-worker period.
    pub period_facts: Vec<Fact>,
    /// Its extensions, one line each.
    pub extensions: Vec<Fact>,
    /// Pauses: "18.03.2026 – 20.03.2026", or "seit 18.03.2026".
    pub pauses: Vec<String>,
    /// The latest possible end (ISO), for the extension form.
    pub latest_end: String,
    /// Consents.
    pub consents: Vec<ConsentRow>,
    /// ESF Plus entry data.
    pub esf_facts: Vec<Fact>,
}

/// The enrolment section of `file`.
pub(super) fn part(file: &CaseFile, show: Show) -> Part {
    let section = |key| file.section(key);
    let facts = |key| {
        section(key)
            .map(|s| show.facts(&s.facts))
            .unwrap_or_default()
    };
    let entries = |key| section(key).map(|s| s.entries.clone()).unwrap_or_default();
    let since = Tr(show.lang).t("pause.since");
    Part {
        enrolment_facts: facts(SectionKey::Enrolment),
        period_facts: facts(SectionKey::Period),
        extensions: entries(SectionKey::Period)
            .iter()
            .map(|e| {
                fact(
                    "",
                    format!(
                        "{}: {} → {} · {}",
                        show.of(e, FactKey::DecidedOn),
                        show.of(e, FactKey::PreviousEnd),
                        show.of(e, FactKey::NewEnd),
                        show.of(e, FactKey::Justification)
                    ),
                )
            })
            .collect(),
        pauses: entries(SectionKey::Pauses)
            .iter()
            .map(|e| match e.fact(FactKey::Until).map(|f| &f.value) {
                Some(Value::Date(_)) => format!(
                    "{} – {}",
                    show.of(e, FactKey::From),
                    show.of(e, FactKey::Until)
                ),
                _ => format!("{since} {}", show.of(e, FactKey::From)),
            })
            .collect(),
        latest_end: section(SectionKey::Period)
            .and_then(|s| s.fact(FactKey::LatestEnd))
            .map(|f| match f.value {
                Value::Date(d) => d.format("%Y-%m-%d").to_string(),
                _ => String::new(),
            })
            .unwrap_or_default(),
        consents: entries(SectionKey::Consents)
            .iter()
            .map(|e| ConsentRow {
                id: e.id.clone().unwrap_or_default(),
                purpose: show.of(e, FactKey::Purpose),
                form: show.of(e, FactKey::Form),
                given: show.of(e, FactKey::GivenOn),
                withdrawn: show.text(e, FactKey::WithdrawnAt),
                active: e
                    .fact(FactKey::InForce)
                    .is_some_and(|f| f.value == Value::Flag(Some(true))),
            })
            .collect(),
        esf_facts: facts(SectionKey::EsfEntry),
    }
}

/// POST: enrol the client.
pub async fn enrol(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Write).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let key_worker =
        chosen_staff(&state, &r, "key_worker", "case.key_worker", &opened.summary).await?;
    let command = (|| {
        let on = r.date("on", "enrol.on")?;
        Ok(Command::Enrol {
            on,
            key_worker: key_worker?,
            terms: ParticipationTerms {
                hygiene_rules: r.flag("hygiene_rules"),
                data_protection: r.flag("data_protection"),
            },
            consent: EnrolmentConsent {
                id: new_id(),
                form: r.choice("consent_form", "consent.form")?,
                given_on: r.date("consent_given_on", "consent.given_on")?,
            },
        })
    })();
    submit(
        &state,
        &ctx,
        &user,
        opened,
        "enrolment",
        "enrol",
        &form,
        command,
    )
    .await
}

step!(
    /// POST: the client takes part again.
    resume, Need::Write, "enrolment", "resume", |state, r, _case| (|| {
        Ok(Command::ResumeParticipation { on: r.date("on", "pause.resumed_on")? })
    })()
);

step!(
    /// POST: extend the key-worker period.
    extend, Need::Write, "enrolment", "extend", |state, r, _case| (|| {
        Ok(Command::ExtendPeriod {
            until: r.date("until", "period.until")?,
            reason: r.text("reason", "period.reason")?,
        })
    })()
);

step!(
    /// POST: record a consent.
    give_consent, Need::Write, "enrolment", "consent", |state, r, _case| (|| {
        Ok(Command::GiveConsent {
            id: new_id(),
            purpose: r.choice("purpose", "consent.purpose")?,
            form: r.choice("consent_form", "consent.form")?,
            given_on: r.date("given_on", "consent.given_on")?,
        })
    })()
);

step!(
    /// POST: record the ESF Plus entry data.
    esf_entry, Need::Write, "enrolment", "esf", |state, r, _case| (|| {
        Ok(Command::RecordEsfEntry {
            record: EsfEntryRecord {
                employment_status: r.choice("employment_status", "esf.employment")?,
                long_term_unemployed: r.yes_no("long_term").unwrap_or(false),
                education: r.choice("education", "esf.education")?,
                disability: r.yes_no("disability"),
                citizenship: r.choice("citizenship", "esf.citizenship")?,
                foreign_background: r.yes_no("foreign_background"),
                minority: r.yes_no("minority"),
                homeless: r.yes_no("homeless").unwrap_or(false),
                rural_area: r.yes_no("rural_area"),
            },
        })
    })()
);
