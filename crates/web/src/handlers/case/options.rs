//! The choices the forms of a case file offer (staff who may be named, teams, services,
//! vocabularies) and the hints whose numbers come from the project's policy.

use super::prelude::*;
use crate::context::ReqCtx;
use crate::views::opts;

/// Options for the forms of the case file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub(super) channels: Vec<Opt>,
    pub(super) outcomes: Vec<Opt>,
    pub(super) domains: Vec<Opt>,
    pub(super) needs: Vec<Opt>,
    pub(super) priorities: Vec<Opt>,
    pub(super) sources: Vec<Opt>,
    pub(super) responsible: Vec<Opt>,
    pub(super) goal_statuses: Vec<Opt>,
    pub(super) contact_kinds: Vec<Opt>,
    pub(super) services: Vec<Opt>,
    /// The active services as cards with their details, for the referral-out form.
    pub(super) service_cards: Vec<crate::handlers::directory::ServiceCard>,
    pub(super) targets: Vec<Opt>,
    pub(super) team_staff: Vec<Opt>,
    pub(super) handover_staff: Vec<Opt>,
    pub(super) assignees: Vec<Opt>,
    pub(super) teams: Vec<Opt>,
    pub(super) exit_reasons: Vec<Opt>,
    pub(super) results: Vec<Opt>,
    pub(super) purposes: Vec<Opt>,
    pub(super) consent_forms: Vec<Opt>,
    pub(super) directions: Vec<Opt>,
    pub(super) employment: Vec<Opt>,
    pub(super) isced: Vec<Opt>,
    pub(super) citizenship: Vec<Opt>,
    /// The ESF entry form's suggestion for "rural area" (`yes`, `no`, or empty for "keine
    /// Angabe"), from the client's postcode with the installation's table.
    pub(super) rural_default: &'static str,
    /// The source of that table, if one is loaded.
    pub(super) rural_source: Option<String>,
}

/// Hints whose numbers come from the project's [`Policy`], so that what the page says is
/// what core's `decide` and `reminders` apply.
#[derive(Debug, Clone)]
pub struct Hints {
    /// When outreach may end as "not reached".
    pub(super) out_end: String,
    /// When the ESF Plus entry data are due.
    pub(super) esf_missing: String,
    /// Closing, and how long it can be undone.
    pub(super) close: String,
    /// How long a team lead may reopen.
    pub(super) reopen: String,
}

impl Hints {
    pub(super) fn new(tr: Tr, policy: &Policy) -> Self {
        let days = |key: &str, n: u32| tr.t(key).replace("{days}", &n.to_string());
        let rule = &policy.outreach_end;
        Self {
            out_end: tr
                .t("out.end_hint")
                .replace("{attempts}", &rule.max_failed_attempts.to_string())
                .replace("{weeks}", &rule.max_weeks_without_contact.to_string()),
            esf_missing: days("esf.missing", policy.esf_entry_due_days),
            close: days("close.hint", policy.reopen_window_days),
            reopen: days("close.reopen_hint", policy.reopen_window_days),
        }
    }
}

impl Options {
    /// The options for the forms of `case`.
    pub(super) async fn load(
        state: &AppState,
        ctx: &ReqCtx,
        case: &Case,
        summary: &CaseSummary,
        directory: &[SpecialistService],
    ) -> Result<Self, AppError> {
        let lang = ctx.lang;
        let staff = state.backend.list_staff().await?;
        let rural = state.backend.rural_postcodes().await?;
        let in_case_team =
            |s: &&StaffMember| s.active && access::can_be_named_for(&s.as_actor(), summary);
        let staff_opt = |s: &StaffMember| {
            let roles = s
                .roles
                .iter()
                .map(|r| r.label(lang))
                .collect::<Vec<_>>()
                .join(", ");
            Opt::new(s.id.to_string(), format!("{} ({roles})", s.display_name))
        };
        // Who can be named for a case: those who take up case work (not team leads alone).
        let assignees: Vec<Opt> = staff
            .iter()
            .filter(in_case_team)
            .filter(|s| access::may_take_up_unassigned(&s.as_actor()))
            .map(staff_opt)
            .collect();
        let team_staff: Vec<Opt> = staff
            .iter()
            .filter(in_case_team)
            .filter(|s| s.roles.iter().any(|r| r.works_on_cases()))
            .map(staff_opt)
            .collect();
        let all_teams = state.backend.list_teams().await?;
        // Hand-over: the case's team first, then colleagues of other teams (job coaches,
        // psychologists, Phase 2), each with their team.
        let mut handover_staff = team_staff.clone();
        handover_staff.extend(
            staff
                .iter()
                .filter(|s| access::can_receive_handover(&s.as_actor()) && !in_case_team(s))
                .map(|s| {
                    let mut o = staff_opt(s);
                    let names: Vec<&str> = all_teams
                        .iter()
                        .filter(|t| s.teams.contains(&t.id))
                        .map(|t| t.name.as_str())
                        .collect();
                    if !names.is_empty() {
                        o.label = format!("{} – {}", o.label, names.join(", "));
                    }
                    o
                }),
        );
        let teams = all_teams
            .into_iter()
            .map(|t| Opt::new(t.id.to_string(), t.name.to_string()))
            .collect();
        let o = Options {
            channels: opts::<ContactChannel>(lang),
            outcomes: opts::<AttemptOutcome>(lang),
            domains: opts::<LifeDomain>(lang),
            needs: opts::<ActionNeed>(lang),
            priorities: opts::<Priority>(lang),
            sources: opts::<AccountSource>(lang),
            responsible: opts::<ResponsibleParty>(lang),
            goal_statuses: opts::<GoalStatus>(lang),
            contact_kinds: opts::<ContactKind>(lang),
            services: directory
                .iter()
                .filter(|s| s.active)
                .map(|s| {
                    Opt::new(
                        s.id.to_string(),
                        format!("{} ({})", s.name, s.kind.label(lang)),
                    )
                })
                .collect(),
            service_cards: directory
                .iter()
                .filter(|s| s.active)
                .map(|s| crate::handlers::directory::ServiceCard::of(s, Tr(lang)))
                .collect(),
            targets: opts::<HandoverTarget>(lang),
            team_staff,
            handover_staff,
            assignees,
            teams,
            exit_reasons: opts::<ExitReason>(lang),
            results: opts::<ImmediateResult>(lang),
            purposes: ConsentPurpose::ALL
                .iter()
                // Every purpose without a consent in force: a withdrawn one can be given again
                // (a new consent; the withdrawn one stays in the history), one in force cannot.
                .filter(|p| !case.has_active_consent(**p, ctx.local_now))
                .map(|p| Opt::new(p.key(), p.label(lang)))
                .collect(),
            consent_forms: opts::<ConsentForm>(lang),
            directions: opts::<ReleaseDirection>(lang),
            employment: opts::<EmploymentStatus>(lang),
            isced: opts::<IscedBand>(lang),
            citizenship: opts::<Citizenship>(lang),
            rural_default: match rural.as_ref().and_then(|t| t.suggest_for(case)) {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            },
            rural_source: rural.map(|t| t.source),
        };
        Ok(o)
    }
}
