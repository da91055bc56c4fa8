//! Loading sources from folders: every bad file is named in a warning or a
//! skipped entry, and the good files beside it still load.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use dossier::corpus::source::{embedded, load, load_dir, LoadOptions, Loaded, SourceFile};

const SEED_IDS: [&str; 5] = [
    "000_a1fd89958486c03c",
    "001_c4e7ceec06d85ba9",
    "002_35bd95cedf487386",
    "003_6f5cfd9434295cfe",
    "004_6937bedc17dac110",
];

/// A short article that must load wherever it is put.
const GOOD: &str = "Fisheries ministry defends quotas\r\n\r\nDirector Anna Kowalczyk said \u{201c}the quotas are fair\u{201d} on Tuesday. 🐟\r\n";

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(&path, bytes).expect("write fixture");
    path
}

fn ids(loaded: &Loaded) -> Vec<&str> {
    loaded.files.iter().map(|f| f.id.as_str()).collect()
}

fn file<'a>(loaded: &'a Loaded, id: &str) -> &'a SourceFile {
    loaded
        .files
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{id} not loaded: {loaded:#?}"))
}

/// The reason `path` was skipped; fails the test if it was not.
fn skip_reason<'a>(loaded: &'a Loaded, path: &Path) -> &'a str {
    loaded
        .skipped
        .iter()
        .find(|s| s.path == path)
        .map(|s| s.reason.as_str())
        .unwrap_or_else(|| panic!("{} not skipped: {loaded:#?}", path.display()))
}

fn assert_good_loaded(loaded: &Loaded, dir: &Path) {
    let good = file(loaded, "good");
    assert_eq!(good.text, GOOD);
    assert_eq!(good.path, dir.join("good.txt"));
    assert!(!good.embedded);
}

#[test]
fn non_utf8_file_is_decoded_lossily_and_loaded_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    // "Zoë Łukasiewicz" with the ë in Latin-1.
    let latin1 = write(
        dir.path(),
        "latin1.txt",
        b"Zo\xeb Kowalczyk said \x93yes\x94.\n",
    );

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_good_loaded(&loaded, dir.path());
    let doc = file(&loaded, "latin1");
    assert_eq!(doc.text, "Zo\u{fffd} Kowalczyk said \u{fffd}yes\u{fffd}.\n");
    let warning = loaded
        .warnings
        .iter()
        .find(|w| w.contains(&*latin1.to_string_lossy()))
        .expect("a warning names the file");
    assert!(warning.contains("UTF-8"), "{warning}");
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
}

#[test]
fn binary_files_are_skipped_saying_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    let mut pdf_like = b"%PDF-1.4\n".to_vec();
    pdf_like.extend([0u8, 0, 1, 2, 200, 0]);
    pdf_like.extend(GOOD.as_bytes());
    let nul = write(dir.path(), "scan.txt", &pdf_like);
    let control = write(
        dir.path(),
        "noise.md",
        [0x01u8, 0x02, 0x1b, 0x1b, b'a', 0x07, 0x08, 0x10],
    );

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_good_loaded(&loaded, dir.path());
    assert_eq!(ids(&loaded), ["good"]);
    let reason = skip_reason(&loaded, &nul);
    assert!(
        reason.contains("binary") && reason.contains("NUL"),
        "{reason}"
    );
    let reason = skip_reason(&loaded, &control);
    assert!(
        reason.contains("binary") && reason.contains("control"),
        "{reason}"
    );
}

#[test]
fn empty_and_whitespace_only_files_are_skipped_as_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    let empty = write(dir.path(), "empty.txt", "");
    let blank = write(dir.path(), "blank.md", " \r\n\t\n  \u{a0}\n");
    let bare_html = write(
        dir.path(),
        "bare.html",
        "<html><head><script>x()</script></head><body> </body></html>",
    );

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_good_loaded(&loaded, dir.path());
    assert_eq!(ids(&loaded), ["good"]);
    assert_eq!(skip_reason(&loaded, &empty), "empty");
    assert_eq!(skip_reason(&loaded, &blank), "empty");
    assert!(skip_reason(&loaded, &bare_html).starts_with("empty"));
}

#[test]
fn file_over_the_size_limit_is_skipped_with_its_size_and_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    let huge = write(dir.path(), "huge.txt", "word ".repeat(100));
    let opts = LoadOptions {
        max_file_size: GOOD.len() as u64,
    };

    let loaded = load_dir(dir.path(), &opts);

    assert_good_loaded(&loaded, dir.path());
    let reason = skip_reason(&loaded, &huge);
    assert!(reason.contains("500 bytes"), "{reason}");
    assert!(
        reason.contains(&format!("limit of {} bytes", GOOD.len())),
        "{reason}"
    );
}

#[test]
fn dangling_symlink_is_skipped_with_the_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    let dangling = dir.path().join("x.txt");
    symlink(dir.path().join("gone.txt"), &dangling).expect("symlink");

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_good_loaded(&loaded, dir.path());
    let reason = skip_reason(&loaded, &dangling);
    assert!(reason.contains("No such file"), "{reason}");
}

#[test]
fn folder_named_like_a_source_is_skipped_and_its_files_still_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    write(
        dir.path(),
        "y.txt/inner.txt",
        "Inside a folder named like a file.\n",
    );

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_good_loaded(&loaded, dir.path());
    let reason = skip_reason(&loaded, &dir.path().join("y.txt"));
    assert!(reason.contains("folder"), "{reason}");
    assert_eq!(ids(&loaded), ["good", "inner"]);
}

#[test]
fn unreadable_file_is_skipped_with_the_error_when_permissions_apply() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    let locked = write(dir.path(), "locked.txt", "Secret words.\n");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads anything: then there is nothing to prove here.
    let readable_anyway = fs::read(&locked).is_ok();

    let loaded = load_dir(dir.path(), &LoadOptions::default());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod back");

    assert_good_loaded(&loaded, dir.path());
    if readable_anyway {
        assert_eq!(file(&loaded, "locked").text, "Secret words.\n");
    } else {
        let reason = skip_reason(&loaded, &locked);
        assert!(reason.contains("ermission denied"), "{reason}");
    }
}

/// Run a load on another thread so a hang fails the test instead of
/// stalling the suite.
fn load_within(dir: &Path, seconds: u64) -> Loaded {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    thread::spawn(move || {
        let _ = tx.send(load_dir(&dir, &LoadOptions::default()));
    });
    rx.recv_timeout(Duration::from_secs(seconds))
        .expect("load finished in time")
}

#[test]
fn symlink_loop_is_named_and_the_load_finishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    write(dir.path(), "sub/deeper.txt", "A file further down.\n");
    let back_up = dir.path().join("sub/back");
    symlink("..", &back_up).expect("symlink to parent");
    let to_itself = dir.path().join("self");
    symlink("self", &to_itself).expect("symlink to itself");

    let loaded = load_within(dir.path(), 30);

    assert_good_loaded(&loaded, dir.path());
    assert_eq!(ids(&loaded), ["good", "deeper"]);
    let reason = skip_reason(&loaded, &back_up);
    assert!(reason.contains("loop"), "{reason}");
    let reason = skip_reason(&loaded, &to_itself);
    assert!(reason.contains("symbolic links"), "{reason}");
}

#[test]
fn linked_folders_and_files_are_followed() {
    let outside = tempfile::tempdir().expect("tempdir");
    write(
        outside.path(),
        "archive/old.md",
        "# Archived report\n\nOlder text.\n",
    );
    write(outside.path(), "single.txt", "A single linked file.\n");
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    symlink(outside.path().join("archive"), dir.path().join("linked")).expect("symlink");
    symlink(
        outside.path().join("single.txt"),
        dir.path().join("one.txt"),
    )
    .expect("symlink");

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_eq!(ids(&loaded), ["good", "old", "one"]);
    assert_eq!(file(&loaded, "old").path, dir.path().join("linked/old.md"));
    assert_eq!(file(&loaded, "one").text, "A single linked file.\n");
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
}

#[test]
fn gitignored_files_are_skipped_and_named_even_outside_a_git_repository() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    write(dir.path(), ".gitignore", "drafts/\nprivate-*.md\n");
    write(dir.path(), ".ignore", "scratch.txt\n");
    let private = write(dir.path(), "private-notes.md", "Not for the corpus.\n");
    let scratch = write(dir.path(), "scratch.txt", "Not for the corpus either.\n");
    write(dir.path(), "drafts/first.txt", "A draft.\n");
    assert!(!dir.path().join(".git").exists());

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_good_loaded(&loaded, dir.path());
    assert_eq!(ids(&loaded), ["good"]);
    assert!(skip_reason(&loaded, &private).contains("ignore"));
    assert!(skip_reason(&loaded, &scratch).contains("ignore"));
    assert!(skip_reason(&loaded, &dir.path().join("drafts")).contains("ignore"));
}

#[test]
fn hidden_files_are_skipped_and_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    let hidden = write(dir.path(), ".backup.txt", "A hidden copy.\n");
    write(dir.path(), ".cache/cached.txt", "Inside a hidden folder.\n");

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_good_loaded(&loaded, dir.path());
    assert_eq!(ids(&loaded), ["good"]);
    assert!(skip_reason(&loaded, &hidden).contains("hidden"));
    // Hidden folders are passed over without noise.
    assert_eq!(loaded.skipped.len(), 1, "{:?}", loaded.skipped);
}

#[test]
fn other_extensions_are_ignored_silently_and_source_extensions_in_any_case_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    write(dir.path(), "photo.jpg", [0xffu8, 0xd8, 0xff, 0]);
    write(dir.path(), "data.csv", "a,b\n1,2\n");
    write(dir.path(), "README", "No extension.\n");
    write(dir.path(), "LOUD.TXT", "Upper-case extension.\n");
    write(dir.path(), "notes.markdown", "Markdown notes.\n");
    write(dir.path(), "page.htm", "<p>Short page.</p>");

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    assert_eq!(ids(&loaded), ["LOUD", "good", "notes", "page"]);
    assert_eq!(file(&loaded, "page").text, "Short page.");
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn files_come_in_path_order_whatever_order_they_were_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["z.txt", "b/2.txt", "a.txt", "b/1.md", "b/c/0.txt", "c.txt"] {
        write(dir.path(), name, format!("Text of {name}.\n"));
    }

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    let paths: Vec<PathBuf> = loaded.files.iter().map(|f| f.path.clone()).collect();
    let expected: Vec<PathBuf> = ["a.txt", "b/1.md", "b/2.txt", "b/c/0.txt", "c.txt", "z.txt"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    assert_eq!(paths, expected);
}

#[test]
fn one_folder_with_every_kind_of_bad_file_still_loads_the_good_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);
    write(
        dir.path(),
        "also-good.html",
        "<title>Quota row</title><p>Zoë said so.</p>",
    );
    write(dir.path(), "bin.txt", b"\0\0\0");
    write(dir.path(), "empty.md", "\n\n");
    write(dir.path(), "big.txt", "x".repeat(10_000));
    write(dir.path(), "latin.txt", b"caf\xe9\n");
    symlink(dir.path().join("nowhere"), dir.path().join("x.txt")).expect("symlink");
    symlink(".", dir.path().join("loop")).expect("symlink");
    let opts = LoadOptions {
        max_file_size: 1_000,
    };

    let (tx, rx) = mpsc::channel();
    let root = dir.path().to_path_buf();
    thread::spawn(move || {
        let _ = tx.send(load_dir(&root, &opts));
    });
    let loaded = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("load finished");

    assert_eq!(ids(&loaded), ["also-good", "good", "latin"]);
    assert_eq!(file(&loaded, "also-good").text, "Quota row\n\nZoë said so.");
    let mut skipped: Vec<String> = loaded
        .skipped
        .iter()
        .map(|s| {
            s.path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    skipped.sort();
    assert_eq!(skipped, ["big.txt", "bin.txt", "empty.md", "loop", "x.txt"]);
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("latin.txt"));
}

#[test]
fn html_source_keeps_a_map_to_its_file_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = "<html>\r\n<head><title>Quota row</title></head>\r\n<body>\r\n\
                <p>Director Anna Kowalczyk said\r\n\u{201c}the quotas are fair\u{201d}.</p>\r\n\
                <p>Zo&euml; Łukasiewicz agreed. 🐟</p>\r\n</body></html>\r\n";
    let path = write(dir.path(), "row.html", html);

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    let doc = file(&loaded, "row");
    assert_eq!(doc.path, path);
    assert_eq!(
        doc.text,
        "Quota row\n\nDirector Anna Kowalczyk said \u{201c}the quotas are fair\u{201d}.\n\nZoë Łukasiewicz agreed. 🐟"
    );
    let line = |needle: &str| doc.line_map.line(doc.text.find(needle).expect("in text"));
    assert_eq!(line("Quota"), 2);
    assert_eq!(line("Director"), 4);
    assert_eq!(line("\u{201c}the quotas"), 5);
    assert_eq!(line("Zoë"), 6);
    let zoe = doc
        .line_map
        .file_offset(doc.text.find("Zoë").expect("in text"));
    assert!(html[zoe..].starts_with("Zo&euml;"));
}

#[test]
fn plain_text_maps_to_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "good.txt", GOOD);

    let loaded = load_dir(dir.path(), &LoadOptions::default());

    let doc = file(&loaded, "good");
    let at = doc.text.find("Anna").expect("in text");
    assert_eq!(doc.line_map.file_offset(at), at);
    assert_eq!(doc.line_map.line(at), 3);
}

#[test]
fn embedded_corpus_holds_exactly_the_five_seeds() {
    let seeds = embedded();

    let ids: Vec<&str> = seeds.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, SEED_IDS);
    let mut on_disk: Vec<String> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"))
            .expect("seeds folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
    on_disk.sort();
    for (seed, name) in seeds.iter().zip(&on_disk) {
        assert!(seed.embedded);
        assert_eq!(seed.path, Path::new("seeds").join(name));
        let disk = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("seeds")
                .join(name),
        )
        .expect("seed file");
        assert_eq!(seed.text, disk);
    }
    assert_eq!(on_disk.len(), 5);
    assert!(seeds[0]
        .text
        .starts_with("Donald Trump vs US intelligence services"));
}

#[test]
fn load_puts_the_embedded_corpus_first_and_renames_duplicate_ids() {
    let first = tempfile::tempdir().expect("tempdir");
    let second = tempfile::tempdir().expect("tempdir");
    let a1 = write(first.path(), "report.txt", "First report.\n");
    let a2 = write(second.path(), "report.md", "Second report.\n");
    let a3 = write(second.path(), "sub/report.html", "<p>Third report.</p>");
    write(
        second.path(),
        "000_a1fd89958486c03c.txt",
        "Same id as a seed.\n",
    );

    let loaded = load(
        &[first.path().to_path_buf(), second.path().to_path_buf()],
        true,
        &LoadOptions::default(),
    );

    let ids = ids(&loaded);
    assert_eq!(&ids[..5], SEED_IDS);
    assert_eq!(
        &ids[5..],
        ["report", "000_a1fd89958486c03c~2", "report~2", "report~3"]
    );
    assert_eq!(loaded.files[5].path, a1);
    assert_eq!(loaded.files[7].path, a2);
    assert_eq!(loaded.files[8].path, a3);
    assert_eq!(loaded.warnings.len(), 3, "{:?}", loaded.warnings);
    assert!(loaded
        .warnings
        .iter()
        .any(|w| w.contains(&*a3.to_string_lossy()) && w.contains("report~3")));
}

#[test]
fn missing_root_is_skipped_and_a_file_root_is_loaded_as_that_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let single = write(dir.path(), "good.txt", GOOD);
    let image = write(dir.path(), "photo.png", [0x89u8, b'P', b'N', b'G']);
    let missing = dir.path().join("no-such-folder");

    let loaded = load(
        &[missing.clone(), single.clone(), image.clone()],
        false,
        &LoadOptions::default(),
    );

    assert_eq!(ids(&loaded), ["good"]);
    assert_eq!(loaded.files[0].path, single);
    assert!(skip_reason(&loaded, &missing).contains("does not exist"));
    assert!(skip_reason(&loaded, &image).contains("not a source file"));
}
