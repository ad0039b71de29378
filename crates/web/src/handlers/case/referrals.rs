//! Referrals out to specialist services: status, secrecy release, what was passed on.
//!
//! A row carries the statuses it may move to, the release's details and its forms, so it is
//! built from the case's referrals out with core's labels, in the order of the case file.

use std::collections::HashMap;

use super::prelude::*;
use crate::context::ReqCtx;

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
    pub direction: &'static str,
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
    pub kind: &'static str,
    /// Status key.
    pub status_key: &'static str,
    /// Status.
    pub status: &'static str,
    /// Since.
    pub since: String,
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

/// The referrals out of `case`.
pub(super) fn rows(
    case: &Case,
    ctx: &ReqCtx,
    services: &HashMap<ServiceId, String>,
) -> Vec<ReferralRow> {
    let lang = ctx.lang;
    let d = |x: chrono::NaiveDate| views::date(x, lang);
    case.referrals_out
        .iter()
        .map(|ro| ReferralRow {
            id: ro.id.to_string(),
            service: services
                .get(&ro.service)
                .cloned()
                .unwrap_or_else(|| "–".to_owned()),
            kind: ro.kind.label(lang),
            status_key: ro.status.key(),
            status: ro.status.label(lang),
            since: d(ro.status_since),
            next: OutboundReferralStatus::ALL
                .iter()
                .filter(|s| ro.status.can_move_to(**s))
                .map(|s| Opt::new(s.key(), s.label(lang)))
                .collect(),
            release: ro.release.as_ref().map(|rel| ReleaseView {
                recipient: rel.recipient.to_string(),
                information: rel.information.to_string(),
                purpose: rel.purpose.to_string(),
                direction: rel.direction.label(lang),
                valid: format!("{} – {}", d(rel.given_on), d(rel.valid_until)),
                valid_now: rel.is_valid_on(ctx.today()),
                withdrawn: rel.withdrawn_on.map(d).unwrap_or_default(),
            }),
            status_form: format!("refst-{}", ro.id),
            release_form: format!("rel-{}", ro.id),
            withdraw_form: format!("relw-{}", ro.id),
            disclosures: ro
                .disclosures
                .iter()
                .map(|x| format!("{} · {}", d(x.on), x.information))
                .collect(),
            disclose_form: format!("dis-{}", ro.id),
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
    let service = match r.id::<ServiceId>("service", "refout.service") {
        Ok(sid) => state
            .backend
            .service(sid)
            .await?
            .ok_or_else(|| r.unchosen("service", "refout.service")),
        Err(e) => Err(e),
    };
    let command = service.map(|service| Command::ReferOut {
        id: new_id(),
        service,
    });
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
