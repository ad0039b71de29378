//! The web load benchmark (`cargo run --release -p wegbereiter-tests --example load`) at a
//! small size, for correctness only: the real server on a demo database, several people
//! signed in, every page of every phase answered with 200. No time is checked.

use wegbereiter_tests::load::{Options, PAGES, run};

use crate::support::bin;

#[test]
fn the_load_benchmark_signs_in_and_every_page_answers() {
    let cache = tempfile::tempdir().unwrap();
    let opts = Options {
        bin: bin().into(),
        cache_dir: cache.path().to_path_buf(),
        cases: 200,
        seed: 1,
        users: 5,
        seconds: 2.0,
    };
    let report = run(&opts).unwrap();
    let table = report.table();
    assert!(report.demo_seconds.is_some(), "{table}");
    assert!(report.case_ids > 0 && report.search_hits > 0, "{table}");
    // Every page in its own phase and in the mixed one, and nothing but 200.
    for page in PAGES {
        let asked: Vec<&str> = report
            .all_pages()
            .filter(|(_, p, _)| *p == page)
            .map(|(phase, _, _)| phase)
            .collect();
        assert_eq!(asked.len(), 2, "{page} asked in {asked:?}\n{table}");
    }
    for (phase, page, stats) in report.all_pages() {
        assert!(
            stats.all_ok(),
            "{phase}: {page}: {:?} {:?}\n{table}",
            stats.statuses,
            stats.errors
        );
    }
    assert!(
        report.rss_signed_in_kib > 0 && report.peak_rss_kib() > 0,
        "{table}"
    );
    assert!(table.contains("| mixed | search |"), "{table}");

    // A second run takes the database from the cache.
    let again = run(&Options {
        users: 1,
        seconds: 0.2,
        ..opts
    })
    .unwrap();
    assert!(again.demo_seconds.is_none(), "{}", again.table());
}
