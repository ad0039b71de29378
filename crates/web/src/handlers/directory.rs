//! The service directory (*Fachstellenverzeichnis*) for everyone who works on cases: name,
//! kind, address, phone, e-mail, opening hours and contact person of every active specialist
//! service. Administrators change it under `/admin/services`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use wegbereiter_core::prelude::*;

use super::ok;
use crate::AppState;
use crate::access;
use crate::context::{Auth, ReqCtx};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::views::Layout;

/// A service as a card: in the directory, in the referral-out form and on its card.
#[derive(Debug, Clone)]
pub struct ServiceCard {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// The details known (label, value), in the directory's order; none that are empty.
    pub details: Vec<(String, String)>,
    /// Further contact notes, or "".
    pub notes: String,
    /// The e-mail address (shown as a link), or "".
    pub email: String,
    /// The phone number, for a `tel:` link, or "".
    pub phone: String,
}

impl ServiceCard {
    /// The card of `service` in `tr`'s language.
    #[must_use]
    pub fn of(service: &SpecialistService, tr: Tr) -> Self {
        let d = &service.details;
        let show = |t: &Option<Text>| t.as_ref().map(ToString::to_string).unwrap_or_default();
        let details = [
            ("service.address", &d.address),
            ("service.opening_hours", &d.opening_hours),
            ("service.contact_person", &d.contact_person),
        ]
        .into_iter()
        .filter_map(|(label, v)| v.as_ref().map(|v| (tr.t(label).to_owned(), v.to_string())))
        .collect();
        Self {
            id: service.id.to_string(),
            name: service.name.to_string(),
            kind: service.kind.label(tr.0).to_owned(),
            details,
            notes: show(&service.contact),
            email: show(&d.email),
            phone: show(&d.phone),
        }
    }

    /// The phone number as a `tel:` address (digits and a leading `+` only).
    #[must_use]
    pub fn tel(&self) -> String {
        self.phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// The active services of the directory as cards, in the directory's order.
///
/// # Errors
/// A storage failure.
pub async fn active_cards(state: &AppState, tr: Tr) -> Result<Vec<ServiceCard>, AppError> {
    Ok(state
        .backend
        .list_services()
        .await?
        .iter()
        .filter(|s| s.active)
        .map(|s| ServiceCard::of(s, tr))
        .collect())
}

#[derive(Template)]
#[template(path = "services.html")]
struct DirectoryPage {
    l: Layout,
    cards: Vec<ServiceCard>,
    admin: bool,
}

/// Whether `user` reads the directory here: whoever works on cases, and administrators.
fn may_read(user: &StaffMember) -> bool {
    let me = user.as_actor();
    access::can_read_directory(&me) && (access::works_on_cases(&me) || access::can_administer(&me))
}

/// GET /services: the directory, read-only.
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    if !may_read(&user) {
        return Err(AppError::Forbidden);
    }
    let page = directory_page(&state, &ctx, &user).await?;
    ok(&page)
}

async fn directory_page(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
) -> Result<DirectoryPage, AppError> {
    Ok(DirectoryPage {
        l: Layout::new(ctx, "directory.title", "directory"),
        cards: active_cards(state, Tr(ctx.lang)).await?,
        admin: access::can_administer(&user.as_actor()),
    })
}
