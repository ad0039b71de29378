//! The web under load: the core of `cargo run --release -p wegbereiter-tests --example load`
//! and of its correctness test in the end-to-end suite.
//!
//! [`run`] builds a demo database with the real binary (`wegbereiter demo`), once per size
//! and seed in a cache folder, starts the real server on it (`wegbereiter serve`, a child
//! process), signs in [`Options::users`] people through the sign-in form (every fifth the
//! team lead, the others the demo key workers in turn), and then lets all of them ask one
//! page at a time, as fast as the server answers, for [`Options::seconds`] per phase:
//!
//! 1. the stylesheet (`/static/app.css`), the static baseline of the same server;
//! 2. the dashboard (`/`), of key workers and of the team lead;
//! 3. a case page (`/cases/ID`, cases the person's dashboard links to);
//! 4. the search (`/cases?q=NAME`);
//! 5. all of them mixed, each person going round stylesheet, dashboard, case, search.
//!
//! Requests carry `Accept-Encoding: br, gzip` as browsers do. Per page it reports the
//! requests, requests per second, median, p99 and the slowest answer, every status seen, and
//! the server's resident memory (`VmRSS` from `/proc`) before, at the peak of every phase and
//! after. No time is checked here; [`Report::judge`] compares with the goals of issue 15.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::http::{Http, Session, case_links};

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The `wegbereiter` binary.
    pub bin: PathBuf,
    /// Where the demo databases are kept between runs (`demo-CASES-seedSEED.db`).
    pub cache_dir: PathBuf,
    /// Demo cases.
    pub cases: u32,
    /// The demo's seed.
    pub seed: u64,
    /// People signed in at once, each asking one page after the other.
    pub users: usize,
    /// Length of each phase.
    pub seconds: f64,
}

/// The pages measured, in report order.
pub const PAGES: [&str; 5] = [
    "stylesheet",
    "dashboard (key worker)",
    "dashboard (team lead)",
    "case page",
    "search",
];

/// What the search phase asks for, in turn (names of the demo generator).
const QUERIES: [&str; 4] = ["Muster", "Beispiel", "Musterfrau", "Mustermann"];

/// The figures of one page in one phase.
#[derive(Debug, Clone, Default)]
pub struct PageStats {
    /// Answers by status code (0: no answer, see [`PageStats::errors`]).
    pub statuses: BTreeMap<u16, u64>,
    /// Every latency, sorted once the phase is over.
    pub latencies: Vec<Duration>,
    /// Bytes of body received (as sent, compressed).
    pub bytes: u64,
    /// Length of the phase the page was asked in.
    pub elapsed: Duration,
    /// The first few failures, in words.
    pub errors: Vec<String>,
}

impl PageStats {
    /// Requests answered (any status) or failed.
    #[must_use]
    pub fn requests(&self) -> usize {
        self.latencies.len()
    }

    /// Requests per second over the phase.
    #[must_use]
    pub fn per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.requests() as f64 / secs
        } else {
            0.0
        }
    }

    /// The `q` quantile (0–1) of the latencies, nearest rank.
    #[must_use]
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let n = self.latencies.len();
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        self.latencies[rank - 1]
    }

    /// Whether every request was answered with 200.
    #[must_use]
    pub fn all_ok(&self) -> bool {
        !self.latencies.is_empty() && self.statuses.keys().all(|s| *s == 200)
    }
}

/// One phase: the pages asked and the server's peak memory during it.
#[derive(Debug, Clone, Default)]
pub struct Phase {
    /// The phase's name.
    pub name: String,
    /// Figures per page.
    pub pages: BTreeMap<&'static str, PageStats>,
    /// The highest resident memory of the server seen during the phase, in KiB.
    pub peak_rss_kib: u64,
}

/// The result of a run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Demo cases.
    pub cases: u32,
    /// People signed in.
    pub users: usize,
    /// Length of each phase in seconds.
    pub seconds: f64,
    /// Seconds the demo database took to build (`None`: taken from the cache).
    pub demo_seconds: Option<f64>,
    /// The phases in order.
    pub phases: Vec<Phase>,
    /// Resident memory of the server once started, in KiB.
    pub rss_started_kib: u64,
    /// … once everybody signed in.
    pub rss_signed_in_kib: u64,
    /// … after the last phase.
    pub rss_after_kib: u64,
    /// Cases the case phase chose from, results of the first search.
    pub case_ids: usize,
    /// Matches on the first page of the first search.
    pub search_hits: usize,
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

impl Report {
    /// Every page of every phase, with the phase's name.
    pub fn all_pages(&self) -> impl Iterator<Item = (&str, &'static str, &PageStats)> {
        self.phases.iter().flat_map(|phase| {
            phase
                .pages
                .iter()
                .map(move |(page, stats)| (phase.name.as_str(), *page, stats))
        })
    }

    /// The static baseline of `phase`: the stylesheet asked in the same phase (the mixed
    /// one), else in the stylesheet phase.
    fn baseline<'a>(&'a self, phase: &'a Phase) -> Option<&'a PageStats> {
        phase
            .pages
            .get("stylesheet")
            .or_else(|| self.phases.iter().find_map(|p| p.pages.get("stylesheet")))
    }

    /// The highest resident memory seen under load, in KiB.
    #[must_use]
    pub fn peak_rss_kib(&self) -> u64 {
        self.phases
            .iter()
            .map(|p| p.peak_rss_kib)
            .max()
            .unwrap_or(0)
    }

    /// The report as a Markdown table plus memory lines.
    #[must_use]
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} cases, {} users, {} s per phase{}",
            self.cases,
            self.users,
            self.seconds,
            match self.demo_seconds {
                Some(s) => format!(" (demo database built in {s:.1} s)"),
                None => " (demo database from the cache)".to_owned(),
            }
        );
        let _ = writeln!(
            out,
            "case pages chosen from {} cases; first search page: {} matches\n",
            self.case_ids, self.search_hits
        );
        out.push_str("| phase | page | requests | req/s | p50 | p99 | max | p50 ÷ static | p99 ÷ static | KiB/answer | statuses |\n");
        out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for phase in &self.phases {
            let baseline = self.baseline(phase);
            for page in PAGES {
                let Some(stats) = phase.pages.get(page) else {
                    continue;
                };
                let ratio = |q: f64| {
                    baseline
                        .map(|b| b.quantile(q).as_secs_f64())
                        .filter(|b| *b > 0.0)
                        .map_or("–".to_owned(), |b| {
                            format!("{:.1}×", stats.quantile(q).as_secs_f64() / b)
                        })
                };
                let statuses = stats
                    .statuses
                    .iter()
                    .map(|(s, n)| format!("{s}: {n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(
                    out,
                    "| {} | {page} | {} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {statuses} |",
                    phase.name,
                    stats.requests(),
                    stats.per_second(),
                    ms(stats.quantile(0.5)),
                    ms(stats.quantile(0.99)),
                    ms(stats.quantile(1.0)),
                    ratio(0.5),
                    ratio(0.99),
                    stats.bytes as f64 / 1024.0 / stats.requests().max(1) as f64,
                );
            }
        }
        let _ = writeln!(
            out,
            "\nserver resident memory: {} started, {} with {} signed in, peak {} under load ({}), {} after",
            mib(self.rss_started_kib),
            mib(self.rss_signed_in_kib),
            self.users,
            mib(self.peak_rss_kib()),
            self.phases
                .iter()
                .map(|p| format!("{} {}", p.name, mib(p.peak_rss_kib)))
                .collect::<Vec<_>>()
                .join(", "),
            mib(self.rss_after_kib),
        );
        out
    }

    /// The goals of issue 15 (p99 < 50 ms, p99 within 3× of the stylesheet's p99 of the same
    /// phase, resident memory < 64 MiB), one line each; `true` if all are met.
    #[must_use]
    pub fn judge(&self) -> (bool, String) {
        let mut all = true;
        let mut out = String::new();
        for phase in &self.phases {
            let base = self
                .baseline(phase)
                .map_or(Duration::ZERO, |s| s.quantile(0.99));
            for (page, stats) in &phase.pages {
                if *page == "stylesheet" {
                    continue;
                }
                let p99 = stats.quantile(0.99);
                let fast = p99 < Duration::from_millis(50);
                let near = base > Duration::ZERO && p99.as_secs_f64() <= 3.0 * base.as_secs_f64();
                let ok = stats.all_ok();
                all &= fast && near && ok;
                let _ = writeln!(
                    out,
                    "{}: {page}: p99 {} (< 50 ms {}; ≤ 3× stylesheet {} {}){}",
                    phase.name,
                    ms(p99),
                    if fast { "ok" } else { "MISSED" },
                    ms(base),
                    if near { "ok" } else { "MISSED" },
                    if ok { "" } else { "; not every answer 200" },
                );
            }
        }
        let peak = self.peak_rss_kib();
        let small = peak < 64 * 1024;
        all &= small;
        let _ = writeln!(
            out,
            "peak resident memory {} (< 64 MiB {})",
            mib(peak),
            if small { "ok" } else { "MISSED" }
        );
        (all, out)
    }
}

/// A demo account as `demo --format json` lists it.
#[derive(Debug, Clone)]
struct Login {
    login: String,
    roles: Vec<String>,
}

/// The demo database of `opts`' size and seed, built unless the cache has it, with its
/// accounts; and the seconds the build took (`None` when cached).
fn demo_database(opts: &Options) -> Result<(PathBuf, Vec<Login>, Option<f64>), String> {
    std::fs::create_dir_all(&opts.cache_dir)
        .map_err(|e| format!("{}: {e}", opts.cache_dir.display()))?;
    let stem = format!("demo-{}-seed{}", opts.cases, opts.seed);
    let db = opts.cache_dir.join(format!("{stem}.db"));
    // Written only after the demo finished: its JSON summary (with the accounts).
    let done = opts.cache_dir.join(format!("{stem}.json"));
    let mut took = None;
    if !done.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let started = Instant::now();
        let out = Command::new(&opts.bin)
            .arg("--db")
            .arg(&db)
            .args(["--format", "json", "demo", "--cases"])
            .arg(opts.cases.to_string())
            .arg("--seed")
            .arg(opts.seed.to_string())
            .env("LANG", "de_DE.UTF-8")
            .env_remove("WEGBEREITER_DATABASE_URL")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{}: {e}", opts.bin.display()))?;
        if !out.status.success() {
            return Err(format!(
                "demo failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        std::fs::write(&done, &out.stdout).map_err(|e| format!("{}: {e}", done.display()))?;
        took = Some(started.elapsed().as_secs_f64());
    }
    let summary: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&done).map_err(|e| format!("{}: {e}", done.display()))?,
    )
    .map_err(|e| format!("{}: {e}", done.display()))?;
    let logins = summary["staff"]
        .as_array()
        .ok_or("the demo summary lists no staff")?
        .iter()
        .filter(|s| s["active"].as_bool() == Some(true))
        .map(|s| Login {
            login: s["login"].as_str().unwrap_or_default().to_owned(),
            roles: s["roles"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    Ok((db, logins, took))
}

/// A running `wegbereiter serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The last lines of its stderr (the request log), for failure messages.
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `bin serve` on `db` on a free local port, with `extra` arguments and
    /// environment variables, and waits until it listens.
    ///
    /// # Errors
    /// When it cannot be started or does not say where it listens within 5 minutes.
    pub fn start(
        bin: &Path,
        db: &str,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Self, String> {
        let mut cmd = Command::new(bin);
        cmd.args(["--db", db, "serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .env("LANG", "de_DE.UTF-8")
            .env_remove("WEGBEREITER_DATABASE_URL")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().map_err(|e| format!("{}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let log = Arc::new(Mutex::new(Vec::new()));
        // The request log must be read, or the server blocks on a full pipe.
        let kept = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut lines) = kept.lock() {
                    if lines.len() >= 40 {
                        lines.remove(0);
                    }
                    lines.push(line);
                }
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Self {
            child,
            addr: String::new(),
            log,
        };
        let line = rx
            .recv_timeout(Duration::from_secs(300))
            .map_err(|_| format!("serve did not start:\n{}", server.log_tail()))?;
        server.addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .ok_or_else(|| format!("no address in {line:?}"))?
            .to_owned();
        Ok(server)
    }

    /// The process id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last lines the server logged.
    #[must_use]
    pub fn log_tail(&self) -> String {
        self.log.lock().map(|l| l.join("\n")).unwrap_or_default()
    }
}

/// The resident memory of process `pid` in KiB (`VmRSS`), 0 if unknown.
#[must_use]
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// One signed-in person of the run.
#[derive(Debug, Clone)]
struct User {
    session: Session,
    dashboard: &'static str,
    cases: Vec<String>,
}

/// What one person asks for in turn in a phase.
#[derive(Debug, Clone, Copy)]
enum Ask {
    Stylesheet,
    Dashboard,
    Case,
    Search,
}

impl Ask {
    fn page(self, user: &User) -> &'static str {
        match self {
            Self::Stylesheet => "stylesheet",
            Self::Dashboard => user.dashboard,
            Self::Case => "case page",
            Self::Search => "search",
        }
    }

    fn path(self, user: &User, n: usize) -> String {
        match self {
            Self::Stylesheet => "/static/app.css".to_owned(),
            Self::Dashboard => "/".to_owned(),
            Self::Case => match user.cases.get(n % user.cases.len().max(1)) {
                Some(id) => format!("/cases/{id}"),
                None => "/cases".to_owned(),
            },
            Self::Search => format!("/cases?q={}", QUERIES[n % QUERIES.len()]),
        }
    }
}

#[derive(Debug, Default)]
struct Sample {
    page: &'static str,
    status: u16,
    latency: Duration,
    bytes: u64,
    error: Option<String>,
}

/// Everybody asks `asks` in turn until `seconds` are over.
async fn phase(
    http: &Http,
    users: &[User],
    name: &str,
    asks: &[Ask],
    seconds: f64,
    pid: u32,
) -> Phase {
    let peak = Arc::new(AtomicU64::new(rss_kib(pid)));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let (http, user, asks) = (http.clone(), user.clone(), asks.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            // Everybody starts somewhere else in the round and in the lists.
            let mut n = i;
            while Instant::now() < until {
                let ask = asks[n % asks.len()];
                let path = ask.path(&user, n / asks.len());
                let headers = [
                    (
                        hyper::header::COOKIE,
                        format!("{}={}", crate::http::SESSION_COOKIE, user.session.cookie),
                    ),
                    (hyper::header::ACCEPT_ENCODING, "br, gzip".to_owned()),
                ];
                let sent = Instant::now();
                let answer = http.send(hyper::Method::GET, &path, &headers, None).await;
                let latency = sent.elapsed();
                samples.push(match answer {
                    Ok(a) => Sample {
                        page: ask.page(&user),
                        status: a.status.as_u16(),
                        latency,
                        bytes: a.body.len() as u64,
                        error: (a.status != hyper::StatusCode::OK)
                            .then(|| format!("GET {path}: {}", a.status)),
                    },
                    Err(e) => Sample {
                        page: ask.page(&user),
                        status: 0,
                        latency,
                        bytes: 0,
                        error: Some(e),
                    },
                });
                n += 1;
            }
            samples
        }));
    }
    let mut result = Phase {
        name: name.to_owned(),
        ..Phase::default()
    };
    for task in tasks {
        for s in task.await.unwrap_or_default() {
            let stats = result.pages.entry(s.page).or_default();
            *stats.statuses.entry(s.status).or_default() += 1;
            stats.latencies.push(s.latency);
            stats.bytes += s.bytes;
            if let Some(e) = s.error
                && stats.errors.len() < 5
            {
                stats.errors.push(e);
            }
        }
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    result.peak_rss_kib = peak.load(Ordering::Relaxed).max(rss_kib(pid));
    for stats in result.pages.values_mut() {
        stats.latencies.sort();
        stats.elapsed = elapsed;
    }
    result
}

/// Runs the benchmark (see the module documentation).
///
/// # Errors
/// When the demo database cannot be built, the server does not start, or somebody cannot
/// sign in; failed requests under load are counted in the report, not errors.
pub fn run(opts: &Options) -> Result<Report, String> {
    let (db, logins, demo_seconds) = demo_database(opts)?;
    let db = db.to_string_lossy().into_owned();
    let server = Server::start(&opts.bin, &db, &[], &[])?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let result = runtime.block_on(drive(opts, &server, &logins));
    drop(server);
    let mut report = result?;
    report.demo_seconds = demo_seconds;
    Ok(report)
}

async fn drive(opts: &Options, server: &Server, logins: &[Login]) -> Result<Report, String> {
    let pid = server.pid();
    let http = Http::new(&server.addr, opts.users.max(1) * 2);
    let mut report = Report {
        cases: opts.cases,
        users: opts.users,
        seconds: opts.seconds,
        rss_started_kib: rss_kib(pid),
        ..Report::default()
    };
    let has = |l: &Login, role: &str| l.roles.iter().any(|r| r == role);
    let leads: Vec<&Login> = logins.iter().filter(|l| has(l, "team_lead")).collect();
    let workers: Vec<&Login> = logins
        .iter()
        .filter(|l| has(l, "key_worker") && !has(l, "team_lead"))
        .collect();
    if leads.is_empty() || workers.is_empty() {
        return Err("the demo has no team lead or no key worker".into());
    }
    let mut users = Vec::new();
    for i in 0..opts.users {
        let (login, dashboard) = if i % 5 == 4 {
            (leads[(i / 5) % leads.len()], "dashboard (team lead)")
        } else {
            (
                workers[(i - i / 5) % workers.len()],
                "dashboard (key worker)",
            )
        };
        let session = http
            .sign_in(&login.login, "demo")
            .await
            .map_err(|e| format!("{e}\n{}", server.log_tail()))?;
        users.push(User {
            session,
            dashboard,
            cases: Vec::new(),
        });
    }
    // The cases each person's dashboard links to are the ones their case page phase opens.
    let mut all_cases = Vec::new();
    for user in &mut users {
        let page = http.get("/", Some(&user.session)).await?;
        if page.status != hyper::StatusCode::OK {
            return Err(format!(
                "dashboard of {}: {}",
                user.session.login, page.status
            ));
        }
        user.cases = case_links(&page.text());
        all_cases.extend(user.cases.iter().cloned());
    }
    all_cases.sort();
    all_cases.dedup();
    report.case_ids = all_cases.len();
    if all_cases.is_empty() {
        return Err("no dashboard links to a case".into());
    }
    for user in &mut users {
        if user.cases.is_empty() {
            user.cases.clone_from(&all_cases);
        }
    }
    let first = &users[0];
    let search = http
        .get(&format!("/cases?q={}", QUERIES[0]), Some(&first.session))
        .await?;
    report.search_hits = case_links(&search.text()).len();
    report.rss_signed_in_kib = rss_kib(pid);

    use Ask::{Case, Dashboard, Search, Stylesheet};
    let plan: [(&str, &[Ask]); 5] = [
        ("stylesheet", &[Stylesheet]),
        ("dashboard", &[Dashboard]),
        ("case page", &[Case]),
        ("search", &[Search]),
        ("mixed", &[Stylesheet, Dashboard, Case, Search]),
    ];
    for (name, asks) in plan {
        report
            .phases
            .push(phase(&http, &users, name, asks, opts.seconds, pid).await);
    }
    report.rss_after_kib = rss_kib(pid);
    Ok(report)
}
