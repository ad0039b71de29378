//! A fresh app on a temporary SQLite store with synthetic staff, teams and cases.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use http_body_util::BodyExt;
use tower::ServiceExt;
use uuid::Uuid;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::Store;
use wegbereiter_web::{AppState, PasswordSettings};

pub const PASSWORD: &str = "Beispiel-Passwort-2026";

/// The reverse proxy every test request comes through (see [`TestApp::router`]).
pub const PROXY: std::net::SocketAddr =
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 40000);

/// `router` with every request coming from [`PROXY`] (as `ConnectInfo`).
pub fn behind_proxy(router: Router) -> Router {
    router.layer(axum::extract::connect_info::MockConnectInfo(PROXY))
}

/// Cheap argon2id parameters: tests hash many passwords in debug builds.
pub fn cheap_passwords() -> PasswordSettings {
    PasswordSettings {
        params: argon2::Params::new(256, 1, 1, None).unwrap(),
    }
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 16, 9, 0, 0).unwrap()
}

pub struct Seed {
    pub nord: TeamId,
    pub sued: TeamId,
    pub kw_nord: StaffMember,
    pub kw_nord2: StaffMember,
    pub lead_nord: StaffMember,
    pub psy_nord: StaffMember,
    /// A job coach only (no key-worker role), team Nord.
    pub coach_nord: StaffMember,
    pub kw_sued: StaffMember,
    pub admin: StaffMember,
    pub dpo: StaffMember,
    /// Enrolled case of team Nord, key worker kw_nord, with a psychologist note.
    pub own: CaseId,
    /// Enrolled case of team Süd, key worker kw_sued.
    pub other: CaseId,
    pub service: ServiceId,
}

pub struct TestApp {
    pub state: AppState,
    pub store: Store,
    pub clock: Arc<Mutex<DateTime<Utc>>>,
    pub seed: Seed,
    _dir: tempfile::TempDir,
}

fn member(login: &str, name: &str, roles: &[Role], teams: &[TeamId]) -> StaffMember {
    StaffMember {
        id: StaffId::from_uuid(Uuid::now_v7()),
        login: Text::parse(login).unwrap(),
        display_name: Text::parse(name).unwrap(),
        roles: roles.to_vec(),
        teams: teams.to_vec(),
        active: true,
    }
}

pub fn referral(given: &str, family: &str, day: NaiveDate) -> Referral {
    Referral {
        jobcenter: Text::parse("Jobcenter Beispielstadt").unwrap(),
        case_manager: Text::parse("Frau Beispiel").unwrap(),
        customer_number: None,
        referral_date: day,
        reason: ReferralReason::ContactLost,
        problem_areas: vec![ProblemArea::Debt],
        legal_basis: LegalBasis::Sgb2Section16k,
        client: ClientIdentity {
            letter_language: None,
            given_name: Text::parse(given).unwrap(),
            family_name: Text::parse(family).unwrap(),
            date_of_birth: Some(d(1985, 4, 12)),
            gender: None,
            address: None,
            phone: None,
            email: None,
        },
    }
}

impl TestApp {
    pub async fn empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wegbereiter.db");
        let store = Store::open(path.to_str().unwrap()).await.unwrap();
        let clock = Arc::new(Mutex::new(start_time()));
        let c = clock.clone();
        let state = AppState::new(
            store.clone(),
            Policy::default(),
            false,
            chrono::Duration::minutes(30),
        )
        .with_clock(Arc::new(move || *c.lock().unwrap()))
        .with_password_settings(cheap_passwords())
        .with_trusted_proxies([PROXY.ip()]);
        let placeholder = StaffMember {
            id: StaffId::from_uuid(Uuid::nil()),
            login: Text::parse("x").unwrap(),
            display_name: Text::parse("x").unwrap(),
            roles: vec![],
            teams: vec![],
            active: false,
        };
        Self {
            state,
            store,
            clock,
            seed: Seed {
                nord: TeamId::from_uuid(Uuid::nil()),
                sued: TeamId::from_uuid(Uuid::nil()),
                kw_nord: placeholder.clone(),
                kw_nord2: placeholder.clone(),
                lead_nord: placeholder.clone(),
                psy_nord: placeholder.clone(),
                coach_nord: placeholder.clone(),
                kw_sued: placeholder.clone(),
                admin: placeholder.clone(),
                dpo: placeholder,
                own: CaseId::from_uuid(Uuid::nil()),
                other: CaseId::from_uuid(Uuid::nil()),
                service: ServiceId::from_uuid(Uuid::nil()),
            },
            _dir: dir,
        }
    }

    pub async fn seeded() -> Self {
        let mut app = Self::empty().await;
        let now = app.now();
        let stamp = AuditStamp {
            actor: None,
            at: now,
        };
        let b = app.state.backend().clone();
        let nord = Team {
            id: TeamId::from_uuid(Uuid::now_v7()),
            name: Text::parse("Phase 1 Team Nord").unwrap(),
        };
        let sued = Team {
            id: TeamId::from_uuid(Uuid::now_v7()),
            name: Text::parse("Phase 1 Team Süd").unwrap(),
        };
        b.save_team(&nord, stamp).await.unwrap();
        b.save_team(&sued, stamp).await.unwrap();
        let s = Seed {
            nord: nord.id,
            sued: sued.id,
            kw_nord: member("erika", "Erika Beispiel", &[Role::KeyWorker], &[nord.id]),
            kw_nord2: member(
                "jonas",
                "Jonas Muster",
                &[Role::KeyWorker, Role::JobCoach],
                &[nord.id],
            ),
            lead_nord: member("lea", "Lea Leitung", &[Role::TeamLead], &[nord.id]),
            psy_nord: member("paula", "Paula Psyche", &[Role::Psychologist], &[nord.id]),
            coach_nord: member("jana", "Jana Coach", &[Role::JobCoach], &[nord.id]),
            kw_sued: member("sami", "Sami Süd", &[Role::KeyWorker], &[sued.id]),
            admin: member("admin", "Ada Admin", &[Role::Administrator], &[]),
            dpo: member(
                "dora",
                "Dora Datenschutz",
                &[Role::DataProtectionOfficer],
                &[],
            ),
            own: CaseId::from_uuid(Uuid::now_v7()),
            other: CaseId::from_uuid(Uuid::now_v7()),
            service: ServiceId::from_uuid(Uuid::now_v7()),
        };
        for m in [
            &s.kw_nord,
            &s.kw_nord2,
            &s.lead_nord,
            &s.psy_nord,
            &s.coach_nord,
            &s.kw_sued,
            &s.admin,
            &s.dpo,
        ] {
            b.save_staff(m, stamp).await.unwrap();
            app.state.set_password(m.id, PASSWORD, None).await.unwrap();
        }
        b.save_service(
            &SpecialistService {
                id: s.service,
                name: Text::parse("Schuldnerberatung Beispielstadt").unwrap(),
                kind: ServiceKind::DebtCounselling,
                contact: None,
                active: true,
                details: ServiceDetails {
                    address: Text::parse_optional("Marktstraße 4, 99999 Beispielstadt").unwrap(),
                    phone: Text::parse_optional("0000 123456").unwrap(),
                    email: Text::parse_optional("beratung@schuldner.example.org").unwrap(),
                    opening_hours: Text::parse_optional("Mo–Do 9–12 Uhr, Di 14–17 Uhr").unwrap(),
                    contact_person: Text::parse_optional("Frau Beispiel").unwrap(),
                },
            },
            stamp,
        )
        .await
        .unwrap();
        let svc = app.state_service();
        for (id, team, kw, name) in [
            (s.own, nord.id, &s.kw_nord, ("Erika", "Musterfrau")),
            (s.other, sued.id, &s.kw_sued, ("Max", "Mustermann")),
        ] {
            let actor = kw.as_actor();
            svc.execute(
                id,
                &Command::Refer {
                    referral: referral(name.0, name.1, d(2026, 3, 2)),
                    team: Some(team),
                },
                &actor,
                now.with_timezone(&chrono_tz::Europe::Berlin).fixed_offset(),
            )
            .await
            .unwrap();
            svc.execute(
                id,
                &Command::Enrol {
                    on: d(2026, 3, 10),
                    key_worker: actor.clone(),
                    terms: ParticipationTerms::EXPLAINED,
                    consent: EnrolmentConsent {
                        id: ConsentId::from_uuid(Uuid::now_v7()),
                        form: ConsentForm::Written,
                        given_on: d(2026, 3, 10),
                    },
                },
                &actor,
                now.with_timezone(&chrono_tz::Europe::Berlin).fixed_offset(),
            )
            .await
            .unwrap();
        }
        svc.execute(
            s.own,
            &Command::RecordContact {
                contact: Contact {
                    id: ContactId::from_uuid(Uuid::now_v7()),
                    date: d(2026, 3, 12),
                    duration_minutes: 50,
                    kind: ContactKind::Office,
                    participants: None,
                    topics: vec![LifeDomain::MentalHealth],
                    agreements: None,
                    next_steps: None,
                    note: Some(Text::parse("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ").unwrap()),
                    compartment: NoteCompartment::Psychologist,
                },
                share_with_team: false,
            },
            &s.psy_nord.as_actor(),
            now.with_timezone(&chrono_tz::Europe::Berlin).fixed_offset(),
        )
        .await
        .unwrap();
        app.seed = s;
        app
    }

    fn state_service(&self) -> CaseService {
        self.store.case_service(Policy::default())
    }

    /// The router as a listener behind the test proxy serves it: every request comes from
    /// [`PROXY`], which the state trusts to name the client in `X-Forwarded-For`.
    pub fn router(&self) -> Router {
        behind_proxy(wegbereiter_web::router(self.state.clone()))
    }

    pub fn now(&self) -> DateTime<Utc> {
        *self.clock.lock().unwrap()
    }

    /// Now on the installation's wall clock, as core's commands take it.
    pub fn local_now(&self) -> DateTime<chrono::FixedOffset> {
        self.state.local_now()
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut c = self.clock.lock().unwrap();
        *c += by;
    }

    pub async fn case(&self, id: CaseId) -> Case {
        self.store
            .case_service(Policy::default())
            .case(id)
            .await
            .unwrap()
    }

    /// A browser-like client with no session yet.
    pub async fn anonymous(&self) -> Client {
        let mut c = Client {
            router: self.router(),
            cookie: None,
            jar: Default::default(),
            csrf: String::new(),
            address: None,
        };
        let res = c.get("/login").await;
        c.csrf = csrf_of(&res.body).unwrap_or_default();
        c
    }

    /// A client signed in as `login`.
    pub async fn login(&self, login: &str) -> Client {
        let mut c = self.anonymous().await;
        let res = c
            .post("/login", &[("login", login), ("password", PASSWORD)])
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "sign-in of {login} failed: {}",
            res.body
        );
        c.refresh_csrf().await;
        c
    }
}

pub fn csrf_of(body: &str) -> Option<String> {
    let i = body.find("name=\"_csrf\" value=\"")?;
    let rest = &body[i + "name=\"_csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

pub struct Res {
    pub status: StatusCode,
    /// The body as text (empty for a body that is not UTF-8, see `bytes`).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
    pub location: Option<String>,
    pub headers: axum::http::HeaderMap,
}

pub struct Client {
    router: Router,
    /// The session cookie (`name=value`), if the server set one.
    pub cookie: Option<String>,
    /// Every other cookie the server set (the pre-sign-in CSRF cookie, the language), by name.
    pub jar: std::collections::BTreeMap<String, String>,
    pub csrf: String,
    /// The client address the requests come from (sent as `X-Forwarded-For`, which the
    /// test app trusts); `None`: no header, the address is `unknown`.
    pub address: Option<String>,
}

impl Client {
    /// A client with no session over `router` (e.g. one with another state).
    pub fn over(router: Router) -> Self {
        Self {
            router,
            cookie: None,
            jar: Default::default(),
            csrf: String::new(),
            address: None,
        }
    }

    /// Signs in as `login` with the test password.
    pub async fn sign_in(&mut self, login: &str) {
        let res = self.get("/login").await;
        self.csrf = csrf_of(&res.body).unwrap_or_default();
        let res = self
            .post("/login", &[("login", login), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in of {login}");
        self.refresh_csrf().await;
    }

    async fn send(&mut self, req: Request<Body>) -> Res {
        let res = self.router.clone().oneshot(req).await.unwrap();
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap().to_owned();
            let (name, value) = pair.split_once('=').unwrap();
            let gone = value.is_empty() || v.contains("Max-Age=0");
            if name == wegbereiter_web::SESSION_COOKIE {
                self.cookie = (!gone).then_some(pair.clone());
            } else if gone {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let location = headers
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_owned());
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        // Pages are UTF-8; a download (the funder export's workbook) is kept as bytes.
        let body = String::from_utf8(bytes.clone()).unwrap_or_default();
        Res {
            status,
            body,
            bytes,
            location,
            headers,
        }
    }

    pub async fn get(&mut self, path: &str) -> Res {
        let mut req = Request::get(path);
        if let Some(c) = self.cookie_header() {
            req = req.header(header::COOKIE, c);
        }
        if let Some(a) = &self.address {
            req = req.header("x-forwarded-for", a);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// POST with the session's CSRF token added.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let csrf = self.csrf.clone();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// POST exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = self.cookie_header() {
            req = req.header(header::COOKIE, c);
        }
        if let Some(a) = &self.address {
            req = req.header("x-forwarded-for", a);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// The `Cookie` header this client sends: the session cookie and the jar.
    pub fn cookie_header(&self) -> Option<String> {
        let all: Vec<String> = self
            .cookie
            .iter()
            .cloned()
            .chain(self.jar.iter().map(|(k, v)| format!("{k}={v}")))
            .collect();
        (!all.is_empty()).then(|| all.join("; "))
    }

    pub async fn refresh_csrf(&mut self) {
        let res = self.get("/cases/new").await;
        if let Some(t) = csrf_of(&res.body) {
            self.csrf = t;
            return;
        }
        let res = self.get("/login").await;
        if let Some(t) = csrf_of(&res.body) {
            self.csrf = t;
        }
    }
}
