//! Staff, roles and teams.

use serde::{Deserialize, Serialize};

use crate::contact::NoteCompartment;
use crate::error::DomainError;
use crate::ids::{StaffId, TeamId};
use crate::text::Text;
use crate::vocab::vocabulary;

vocabulary! {
    /// A role of a staff member. A person may hold several.
    pub enum Role {
        /// Key worker (*Sozialpädagog\*in, Bezugsberater\*in*).
        KeyWorker = "key_worker", "Bezugsberater*in", "Key worker";
        /// Job coach.
        JobCoach = "job_coach", "Jobcoach", "Job coach";
        /// Psychologist: reads and writes the psychologist compartment.
        Psychologist = "psychologist", "Psycholog*in", "Psychologist";
        /// Team lead: reassigns within the team, approves reopening.
        TeamLead = "team_lead", "Teamleitung", "Team lead";
        /// Administrator: manages staff, teams, services; does not read case contents.
        Administrator = "administrator", "Administration", "Administrator";
        /// Data-protection officer: reads the audit and access log.
        DataProtectionOfficer = "data_protection_officer", "Datenschutzbeauftragte*r", "Data-protection officer";
    }
}

impl Role {
    /// Whether the role works on case contents.
    #[must_use]
    pub fn works_on_cases(self) -> bool {
        matches!(
            self,
            Self::KeyWorker | Self::JobCoach | Self::Psychologist | Self::TeamLead
        )
    }
}

/// Whether `roles` may be held by one person: at least one role, and neither administration
/// nor data protection together with a role that works on case contents. Whoever manages
/// accounts or audits the logs does not read case files (process: actors), so nobody can
/// grant themselves that access; a person with both jobs gets two accounts.
///
/// # Errors
/// [`DomainError::NoRole`] for an empty list; [`DomainError::RolesIncompatible`] naming the
/// first overseeing role found with a case role.
pub fn check_roles(roles: &[Role]) -> Result<(), DomainError> {
    if roles.is_empty() {
        return Err(DomainError::NoRole);
    }
    let case_role = roles.iter().copied().find(|r| r.works_on_cases());
    let overseeing = roles
        .iter()
        .copied()
        .find(|r| matches!(r, Role::Administrator | Role::DataProtectionOfficer));
    match (overseeing, case_role) {
        (Some(overseeing), Some(case_role)) => Err(DomainError::RolesIncompatible {
            overseeing,
            case_role,
        }),
        _ => Ok(()),
    }
}

/// Whether `actor` may save the account `after` (new, or in place of its stored version):
/// its roles go together ([`check_roles`]), and nobody locks themselves out: an
/// administrator neither deactivates their own account nor takes the administrator role
/// from it. Since only an active administrator saves accounts, the installation so always
/// keeps one (the person acting). The web's administration pages, the CLI and the JSON API
/// all ask this one function before saving.
///
/// # Errors
/// The errors of [`check_roles`]; [`DomainError::SelfLockout`] when `after` is the actor's
/// own account, inactive or without the administrator role.
pub fn check_account(actor: &Actor, after: &StaffMember) -> Result<(), DomainError> {
    check_roles(&after.roles)?;
    if after.id == actor.id && (!after.active || !after.has_role(Role::Administrator)) {
        return Err(DomainError::SelfLockout);
    }
    Ok(())
}

/// A team, e.g. "Phase 1 Team Nord".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Id.
    pub id: TeamId,
    /// Name.
    pub name: Text,
}

/// A staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    /// Id.
    pub id: StaffId,
    /// Sign-in name (unique).
    pub login: Text,
    /// Display name.
    pub display_name: Text,
    /// Roles.
    pub roles: Vec<Role>,
    /// Teams.
    pub teams: Vec<TeamId>,
    /// Whether the person may still act.
    pub active: bool,
}

impl StaffMember {
    /// Whether the person holds `role`.
    #[must_use]
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the person may read notes in `compartment` of a case they may see (rule R14:
    /// the psychologist compartment only for active psychologists). Every frontend asks this
    /// one function before showing a note.
    #[must_use]
    pub fn reads_compartment(&self, compartment: NoteCompartment) -> bool {
        reads(compartment, self.active, &self.roles)
    }

    /// The acting-person view of this staff member.
    #[must_use]
    pub fn as_actor(&self) -> Actor {
        Actor {
            id: self.id,
            roles: self.roles.clone(),
            teams: self.teams.clone(),
            active: self.active,
        }
    }
}

/// Who is acting (or being assigned): the facts the domain needs about a staff member to
/// check a command. Frontends build it from their staff directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Id.
    pub id: StaffId,
    /// Roles.
    pub roles: Vec<Role>,
    /// Teams.
    pub teams: Vec<TeamId>,
    /// Whether the person may still act.
    pub active: bool,
}

impl Actor {
    /// Whether the person holds `role`.
    #[must_use]
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the person may read notes in `compartment` (rule R14), as
    /// [`StaffMember::reads_compartment`].
    #[must_use]
    pub fn reads_compartment(&self, compartment: NoteCompartment) -> bool {
        reads(compartment, self.active, &self.roles)
    }
}

/// Rule R14: the psychologist compartment only for active psychologists.
fn reads(compartment: NoteCompartment, active: bool, roles: &[Role]) -> bool {
    match compartment {
        NoteCompartment::CaseTeam => true,
        NoteCompartment::Psychologist => active && roles.contains(&Role::Psychologist),
    }
}
