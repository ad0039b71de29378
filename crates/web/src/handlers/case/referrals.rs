//! Referrals out to specialist services: status, secrecy release, what was passed on.

use super::prelude::*;

/// A secrecy release.
#[derive(Debug, Clone)]
pub struct ReleaseView {
    /// Recipient.
    pub recipient: String,
    /// Information.
    pub information: String,
    /// Purpose.
    pub purpose: String,
    /// Direction.
    pub direction: String,
    /// Validity.
    pub valid: String,
    /// Valid today.
    pub valid_now: bool,
    /// Withdrawn on (date), or "".
    pub withdrawn: String,
}

/// A referral out.
#[derive(Debug, Clone)]
pub struct ReferralRow {
    /// Id.
    pub id: String,
    /// Service name.
    pub service: String,
    /// Kind.
    pub kind: String,
    /// Status key.
    pub status_key: &'static str,
    /// Status.
    pub status: String,
    /// Since.
    pub since: String,
    /// Day the referral was made.
    pub made_on: String,
    /// Contact person, address, opening hours (those known), from the case file.
    pub facts: Vec<Fact>,
    /// The service's phone number, or "".
    pub phone: String,
    /// The service's e-mail address, or "".
    pub email: String,
    /// The note on the referral, or "".
    pub note: String,
    /// Possible next statuses.
    pub next: Vec<Opt>,
    /// Release.
    pub release: Option<ReleaseView>,
    /// Form id (status).
    pub status_form: String,
    /// Form id (release).
    pub release_form: String,
    /// Form id (withdraw the release).
    pub withdraw_form: String,
    /// What was passed on to the service: "12.03.2026 · Gläubigerliste".
    pub disclosures: Vec<String>,
    /// Form id (record a disclosure).
    pub disclose_form: String,
}

impl ReferralRow {
    /// The phone number as a `tel:` address (digits and a leading `+` only).
    #[must_use]
    pub fn tel(&self) -> String {
        self.phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// The referrals out of `file`, with the statuses each may move to and their forms.
pub(super) fn rows(file: &CaseFile, show: Show) -> Vec<ReferralRow> {
    let entries = |key| {
        file.section(key)
            .map(|s| s.entries.as_slice())
            .unwrap_or_default()
    };
    let of = |key, id: &str| {
        entries(key)
            .iter()
            .filter(|e| e.id.as_deref() == Some(id))
            .collect::<Vec<_>>()
    };
    entries(SectionKey::ReferralsOut)
        .iter()
        .map(|e| {
            let id = e.id.clone().unwrap_or_default();
            let status = match e.fact(FactKey::Status).map(|f| &f.value) {
                Some(Value::Choice(c)) => OutboundReferralStatus::from_key(c.key),
                _ => None,
            };
            ReferralRow {
                service: show.of(e, FactKey::Service),
                kind: show.of(e, FactKey::Kind),
                status_key: status.map_or("", Labelled::key),
                status: show.of(e, FactKey::Status),
                since: show.of(e, FactKey::Since),
                made_on: show.of(e, FactKey::MadeOn),
                facts: [
                    FactKey::ContactPerson,
                    FactKey::Address,
                    FactKey::OpeningHours,
                ]
                .into_iter()
                .filter_map(|k| {
                    let value = show.text(e, k);
                    (!value.is_empty()).then(|| fact(k.label(show.lang), value))
                })
                .collect(),
                phone: show.text(e, FactKey::Phone),
                email: show.text(e, FactKey::Email),
                note: show.text(e, FactKey::Note),
                next: OutboundReferralStatus::ALL
                    .iter()
                    .filter(|s| status.is_some_and(|now| now.can_move_to(**s)))
                    .map(|s| Opt::new(s.key(), s.label(show.lang)))
                    .collect(),
                release: of(SectionKey::SecrecyReleases, &id)
                    .first()
                    .map(|r| ReleaseView {
                        recipient: show.of(r, FactKey::Recipient),
                        information: show.of(r, FactKey::Information),
                        purpose: show.of(r, FactKey::Purpose),
                        direction: show.of(r, FactKey::Direction),
                        valid: format!(
                            "{} – {}",
                            show.of(r, FactKey::GivenOn),
                            show.of(r, FactKey::ValidUntil)
                        ),
                        valid_now: r
                            .fact(FactKey::InForce)
                            .is_some_and(|f| f.value == Value::Flag(Some(true))),
                        withdrawn: show.text(r, FactKey::WithdrawnOn),
                    }),
                disclosures: of(SectionKey::Disclosures, &id)
                    .iter()
                    .map(|x| {
                        format!(
                            "{} · {}",
                            show.of(x, FactKey::Date),
                            show.of(x, FactKey::Information)
                        )
                    })
                    .collect(),
                status_form: format!("refst-{id}"),
                release_form: format!("rel-{id}"),
                withdraw_form: format!("relw-{id}"),
                disclose_form: format!("dis-{id}"),
                id,
            }
        })
        .collect()
}

/// POST: refer out to a specialist service.
pub async fn refer_out(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Write).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let mut e = Errors::default();
    let service = match r.id::<ServiceId>("service", "refout.service") {
        Ok(sid) => state
            .backend
            .service(sid)
            .await?
            .ok_or_else(|| r.unchosen("service", "refout.service")),
        Err(e) => Err(e),
    };
    let service = e.take(service);
    let on = e.take(r.date("on", "refout.made_on"));
    let contact_person = e.take(r.opt_text("contact_person", "refout.contact_person"));
    let note = e.take(r.opt_text("note", "refout.note"));
    let command = match (service, on, contact_person, note) {
        (Some(service), Some(on), Some(contact_person), Some(note)) if e.is_empty() => {
            Ok(Command::ReferOut {
                id: new_id(),
                service,
                on,
                note,
                contact_person,
            })
        }
        _ => Err(e.refusal()),
    };
    submit(
        &state,
        &ctx,
        &user,
        opened,
        "referrals",
        "refout",
        &form,
        command,
    )
    .await
}

step!(
    /// POST: change a referral out's status.
    referral_status, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::UpdateReferralOut {
            id: r.id("referral", "refout.service")?,
            status: r.choice("status", "refout.status")?,
            on: r.date("on", "refout.on")?,
        })
    })()
);

step!(
    /// POST: record a secrecy release.
    secrecy_release, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::RecordSecrecyRelease {
            referral: r.id("referral", "refout.service")?,
            release: SecrecyRelease {
                recipient: r.text("recipient", "release.recipient")?,
                information: r.text("information", "release.information")?,
                purpose: r.text("purpose", "release.purpose")?,
                direction: r.choice("direction", "release.direction")?,
                given_on: r.date("given_on", "release.given_on")?,
                valid_until: r.date("valid_until", "release.valid_until")?,
                withdrawn_on: None,
            },
        })
    })()
);

step!(
    /// POST: record what was passed on to the service (core refuses it without a secrecy
    /// release valid that day, rule R22).
    disclose, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::RecordDisclosure {
            referral: r.id("referral", "refout.service")?,
            on: r.date("on", "disclosure.on")?,
            information: r.text("information", "disclosure.information")?,
        })
    })()
);

step!(
    /// POST: withdraw a secrecy release (the client may do so at any time).
    withdraw_release, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::WithdrawSecrecyRelease {
            referral: r.id("referral", "refout.service")?,
        })
    })()
);
