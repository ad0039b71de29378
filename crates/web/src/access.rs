//! The web's side of the access policy: core decides, this module maps.
//!
//! Who may know of, read and change which case is decided in `wegbereiter_core::access` and
//! enforced by `CaseService` on every read and command, for every frontend alike. Handlers ask
//! core's functions what to offer (buttons, lists, forms) and turn core's typed refusals into
//! responses here: a case the person may not know of answers 404 exactly like an unknown one,
//! a missing right on a visible case (or a role that never opens cases) answers 403 with the
//! policy's sentence for the refused right (`Right::refusal`).

use wegbereiter_core::ServiceError;
pub use wegbereiter_core::access::*;

use crate::error::AppError;

impl From<AccessDenied> for AppError {
    fn from(denied: AccessDenied) -> Self {
        match denied {
            AccessDenied::NotVisible => Self::NotFound,
            AccessDenied::Forbidden(right) => Self::Refused(right),
            _ => Self::Forbidden,
        }
    }
}

/// The response for a refusal of the access policy, or `None` for any other error.
#[must_use]
pub(crate) fn refusal(e: &ServiceError) -> Option<AppError> {
    match e {
        ServiceError::NotFound(_) | ServiceError::NotVisible(_) => Some(AppError::NotFound),
        ServiceError::Forbidden(right) => Some(AppError::Refused(*right)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wegbereiter_core::ids::CaseId;

    #[test]
    fn a_hidden_case_answers_like_an_unknown_one_and_a_missing_right_is_403() {
        let id = CaseId::from_uuid(uuid::Uuid::from_u128(1));
        assert!(matches!(
            refusal(&ServiceError::NotVisible(id)),
            Some(AppError::NotFound)
        ));
        assert!(matches!(
            refusal(&ServiceError::NotFound(id)),
            Some(AppError::NotFound)
        ));
        assert!(matches!(
            refusal(&ServiceError::Forbidden(Right::Lead)),
            Some(AppError::Refused(Right::Lead))
        ));
        assert!(matches!(
            AppError::from(AccessDenied::NotVisible),
            AppError::NotFound
        ));
        assert!(matches!(
            AppError::from(AccessDenied::Forbidden(Right::ChangeContent)),
            AppError::Refused(Right::ChangeContent)
        ));
        assert!(
            refusal(&ServiceError::Rule(
                wegbereiter_core::DomainError::NotEnrolled
            ))
            .is_none()
        );
    }
}
