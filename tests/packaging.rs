//! What the Debian package installs besides the program: the man pages and the
//! shell completions are written from the command's own definitions, so `man
//! knotmap` and Tab say what `knotmap --help` says. They are committed in
//! `assets/packaging/`, where `cargo deb` picks them up; this test fails when the
//! command changed and they were not written again (`UPDATE_SNAPSHOTS=1 cargo test
//! --test suite packaging::` writes them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap_complete::Shell;

fn packaging() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/packaging")
}

/// Every file under `folder`, by its path relative to it.
fn files_in(folder: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(folder) else { return files };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            let bytes =
                std::fs::read(&path).unwrap_or_else(|error| panic!("{} reads: {error}", path.display()));
            files.insert(PathBuf::from(entry.file_name()), bytes);
        }
    }
    files
}

/// Compares what the command's definitions write with what is committed, or
/// writes it when asked to.
fn matches_what_is_committed(folder: &Path, written: BTreeMap<PathBuf, Vec<u8>>) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(folder).expect("the packaging folder can be made");
        for (name, bytes) in &written {
            std::fs::write(folder.join(name), bytes).expect("written");
        }
    }
    let committed = files_in(folder);
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        written.keys().collect::<Vec<_>>(),
        "{}: the files the command's definitions give (UPDATE_SNAPSHOTS=1 writes them)",
        folder.display()
    );
    for (name, bytes) in written {
        assert!(
            committed.get(&name) == Some(&bytes),
            "{} is not what the command says now (UPDATE_SNAPSHOTS=1 writes it again)",
            folder.join(&name).display()
        );
    }
}

/// `man knotmap`: clap_mangen's sections, and where Knotmap keeps its files.
fn main_man_page(command: clap::Command) -> Vec<u8> {
    use clap_mangen::roff::{Roff, bold, roman};
    let man = clap_mangen::Man::new(command);
    let mut page = Vec::new();
    let written: std::io::Result<()> = (|| {
        man.render_title(&mut page)?;
        man.render_name_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
        man.render_subcommands_section(&mut page)?;
        let mut files = Roff::new();
        files.control("SH", ["FILES"]);
        for (path, what) in knotmap::cli::FILES {
            files.control("TP", []).text([bold(path)]).text([roman(what)]);
        }
        files.control("PP", []).text([roman(knotmap::cli::FILES_NOTE)]);
        files.to_writer(&mut page)?;
        man.render_version_section(&mut page)
    })();
    written.expect("the main page is written");
    page
}

#[test]
fn the_man_pages_say_what_the_help_says() {
    let scratch = tempfile::tempdir().expect("temp dir");
    // The subcommands' pages as clap_mangen writes them; the main page with a FILES section.
    let command = knotmap::cli::command().after_long_help(None::<&str>);
    clap_mangen::generate_to(command.clone(), scratch.path()).expect("the man pages are written");
    std::fs::write(scratch.path().join("knotmap.1"), main_man_page(command)).expect("written");
    let written = files_in(scratch.path());
    let main_page = String::from_utf8_lossy(&written[Path::new("knotmap.1")]).into_owned();
    assert!(
        main_page.contains("knotmap\\-check(1)"),
        "the main page points to each subcommand's:\n{main_page}"
    );
    assert!(main_page.contains("\\-\\-practice"), "and names the options");
    assert!(
        main_page.contains(".SH FILES") && main_page.contains("laptop\\-pin.ron"),
        "and where the data lives"
    );
    let print_plan = String::from_utf8_lossy(&written[Path::new("knotmap-print-plan.1")]).into_owned();
    assert!(print_plan.contains("\\-\\-day"), "knotmap print plan --day is explained in its own page");
    matches_what_is_committed(&packaging().join("man"), written);
}

#[test]
fn tab_completes_the_subcommands_in_bash_zsh_and_fish() {
    let mut written = BTreeMap::new();
    for (shell, name) in [(Shell::Bash, "knotmap"), (Shell::Zsh, "_knotmap"), (Shell::Fish, "knotmap.fish")] {
        let mut bytes = Vec::new();
        clap_complete::generate(shell, &mut knotmap::cli::command(), "knotmap", &mut bytes);
        let text = String::from_utf8_lossy(&bytes);
        for word in ["check", "sample", "print", "take-home", "--practice"] {
            assert!(text.contains(word), "{name} completes {word}");
        }
        written.insert(PathBuf::from(name), bytes);
    }
    matches_what_is_committed(&packaging().join("completions"), written);
}

/// One crate of Cargo.lock, as the Flatpak build fetches it before it goes offline.
struct LockedCrate {
    name: String,
    version: String,
    checksum: String,
}

/// The crates Cargo.lock takes from crates.io (the project itself has no source line).
fn locked_crates() -> Vec<LockedCrate> {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock reads");
    let mut crates = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let value = |key: &str| {
            block.lines().find_map(|line| {
                line.strip_prefix(key)
                    .and_then(|rest| rest.trim_start().strip_prefix('='))
                    .map(|rest| rest.trim().trim_matches('"').to_owned())
            })
        };
        let Some(source) = value("source") else { continue };
        assert!(
            source.starts_with("registry+https://github.com/rust-lang/crates.io-index"),
            "a crate from {source} needs its own kind of Flatpak source"
        );
        crates.push(LockedCrate {
            name: value("name").expect("a package has a name"),
            version: value("version").expect("a package has a version"),
            checksum: value("checksum").expect("a crates.io package has a checksum"),
        });
    }
    crates
}

/// flatpak-builder's sources for the crates: each archive with its checksum,
/// unpacked where the cargo configuration's vendored source points.
fn cargo_sources(crates: &[LockedCrate]) -> String {
    let mut json = String::from("[\n");
    for krate in crates {
        let LockedCrate { name, version, checksum } = krate;
        json.push_str(&format!(
            "  {{\n    \"type\": \"archive\",\n    \"archive-type\": \"tar-gzip\",\n    \
             \"url\": \"https://static.crates.io/crates/{name}/{name}-{version}.crate\",\n    \
             \"sha256\": \"{checksum}\",\n    \"dest\": \"cargo/vendor/{name}-{version}\"\n  }},\n"
        ));
        json.push_str(&format!(
            "  {{\n    \"type\": \"inline\",\n    \
             \"contents\": \"{{\\\"package\\\": \\\"{checksum}\\\", \\\"files\\\": {{}}}}\",\n    \
             \"dest\": \"cargo/vendor/{name}-{version}\",\n    \"dest-filename\": \".cargo-checksum.json\"\n  }},\n"
        ));
    }
    json.push_str(
        "  {\n    \"type\": \"inline\",\n    \"contents\": \"[source.vendored-sources]\\ndirectory = \
         \\\"cargo/vendor\\\"\\n\\n[source.crates-io]\\nreplace-with = \\\"vendored-sources\\\"\\n\",\n    \
         \"dest\": \"cargo\",\n    \"dest-filename\": \"config.toml\"\n  }\n]\n",
    );
    json
}

#[test]
fn the_flatpak_builds_offline_from_every_crate_cargo_lock_names() {
    let crates = locked_crates();
    assert!(crates.iter().any(|krate| krate.name == "eframe"), "the window's crates are there");
    let sources = cargo_sources(&crates);
    assert_eq!(sources.matches("\"type\": \"archive\"").count(), crates.len());
    let folder = packaging().join("flatpak");
    let mut written = files_in(&folder);
    written.insert(PathBuf::from("cargo-sources.json"), sources.into_bytes());
    matches_what_is_committed(&folder, written);

    let manifest = String::from_utf8_lossy(
        &std::fs::read(folder.join("org.knotmap.Knotmap.yml")).expect("the manifest"),
    )
    .into_owned();
    assert!(manifest.contains(&format!("id: {}", knotmap::ui::APP_ID)), "the Flatpak is the desktop's app");
    assert!(manifest.contains("- cargo-sources.json") && manifest.contains("--offline"), "built offline");
    assert!(
        !manifest.contains("--filesystem=home") && !manifest.contains("--share=network"),
        "no more than it needs"
    );
}

#[test]
fn the_package_depends_on_every_library_the_readme_says_the_window_needs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README reads");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml reads");
    let depends = manifest
        .lines()
        .find_map(|line| line.strip_prefix("depends = "))
        .expect("the package's Depends")
        .trim_matches('"');
    let depends: Vec<&str> = depends.split(',').map(str::trim).collect();
    // What the README's one package line installs for the window (the rest serve the tests).
    let line = readme
        .lines()
        .find(|line| line.contains("sudo apt-get install libxkbcommon"))
        .expect("the README's package line");
    let window = ["libxkbcommon-x11-0", "libxcursor1", "libxi6", "libegl1", "libgl1-mesa-dri"];
    for library in window {
        assert!(
            line.split_whitespace().any(|word| word.trim_matches('`') == library),
            "the README names {library}"
        );
        assert!(depends.contains(&library), "the package depends on {library}: {depends:?}");
    }
    assert!(depends.contains(&"$auto"), "and on the libraries the program links (libc)");
}
