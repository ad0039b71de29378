//! Runs poppler's tools on PDF bytes.

use std::io::Write;
use std::process::Command;

/// The output of `tool args… FILE -` on `pdf` written to a temporary file; panics (fails the
/// test) when the tool is missing or fails.
pub fn run(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "wegbereiter-documents-{}-{}",
        std::process::id(),
        uuid::Uuid::now_v7()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("doc.pdf");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(pdf)
        .unwrap();
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let out = command.output().unwrap_or_else(|e| {
        panic!("{tool} is needed for this test (Debian package poppler-utils): {e}")
    });
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of `pdf`, as `pdftotext` reads it (reading order, one line per printed line).
pub fn text(pdf: &[u8]) -> String {
    run("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// The rows of `pdffonts`' table: (name, embedded).
pub fn fonts(pdf: &[u8]) -> Vec<(String, bool)> {
    run("pdffonts", &[], pdf)
        .lines()
        .skip(2)
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // name type… encoding emb sub uni object ID: "emb" is the fifth column from the end.
            let emb = cols.len().checked_sub(5).map(|i| cols[i]);
            (cols[0].to_owned(), emb == Some("yes"))
        })
        .collect()
}

/// The height of each word's box in points, by word (`pdftotext -bbox`).
pub fn word_heights(pdf: &[u8]) -> Vec<(String, f64)> {
    let html = run("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    html.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("<word ")?;
            let attr = |name: &str| -> Option<f64> {
                let start = rest.find(&format!("{name}=\""))? + name.len() + 2;
                rest[start..].split('"').next()?.parse().ok()
            };
            let word = rest.split('>').nth(1)?.split('<').next()?.to_owned();
            Some((word, attr("yMax")? - attr("yMin")?))
        })
        .collect()
}
