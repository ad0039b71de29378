//! Typed identifiers.
//!
//! Every entity has its own id type so that a goal id can never be passed where a case id is
//! expected. Ids are UUIDs (the caller makes them, usually as UUID v7): the domain never
//! generates randomness itself (invariant I6).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a UUID made by the caller (for new ids, use UUID v7).
            #[must_use]
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// The underlying UUID.
            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

id_type!(
    /// Identifies a case (*Fall*): one referral is one case.
    CaseId
);
impl CaseId {
    /// The case number people read and type: the last 10 hex digits of the id in capitals,
    /// as `XXXXX-XXXXX` ("ABCDE-F1234").
    ///
    /// Ids are UUID v7, whose leading digits are a timestamp shared by all cases made in the
    /// same minute; the trailing digits are random, so they tell cases apart. A search by
    /// case number ([`CaseFilter::case_number`](crate::ports::CaseFilter::case_number))
    /// compares its beginning.
    ///
    /// ```
    /// # use wegbereiter_core::ids::CaseId;
    /// let id = CaseId::from_uuid(uuid::Uuid::from_u128(0x0193_a2b4_0000_7000_8000_00ab_cdef_1234));
    /// assert_eq!(id.case_number(), "ABCDE-F1234");
    /// ```
    #[must_use]
    pub fn case_number(&self) -> String {
        let key = self.case_number_key();
        format!("{}-{}", &key[..5], &key[5..])
    }

    /// [`CaseId::case_number`] without its dash ("ABCDEF1234"): what a search compares and
    /// storage indexes.
    #[must_use]
    pub fn case_number_key(&self) -> String {
        let hex = self.0.simple().to_string().to_uppercase();
        hex[hex.len() - 10..].to_owned()
    }
}

id_type!(
    /// Identifies a staff member (*Mitarbeiter\*in*).
    StaffId
);
id_type!(
    /// Identifies a team (*Team*), e.g. "Phase 1 Team Nord".
    TeamId
);
id_type!(
    /// Identifies a specialist service (*Fachstelle*) in the service directory.
    ServiceId
);
id_type!(
    /// Identifies a goal (*Ziel*) inside a case's goal agreement.
    GoalId
);
id_type!(
    /// Identifies a contact (*Kontakt*) inside a case.
    ContactId
);
id_type!(
    /// Identifies a referral out (*Weitervermittlung*) to a specialist service.
    OutboundReferralId
);
id_type!(
    /// Identifies a consent (*Einwilligung*).
    ConsentId
);
id_type!(
    /// Identifies a Phase 2 group session (*Gruppentermin*).
    GroupSessionId
);
id_type!(
    /// Identifies a kept document of a case (a report as it was sent to the Jobcenter).
    DocumentId
);
id_type!(
    /// Identifies a client's data-protection request (*Betroffenenantrag*) in the register.
    PrivacyRequestId
);
