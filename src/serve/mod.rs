//! `quire serve`: build into memory, serve over HTTP, watch the sources, rebuild what changed, tell open pages to
//! reload.
//!
//! Steps: a [`Session`] builds the site into a [`MemorySink`] (the same stages as `build` and `check`); the files
//! become a [`Snapshot`] that the HTTP side serves ([`http`]). A watcher thread (notify) collects changed paths,
//! waits a few milliseconds for the rest of a save, and hands them to [`Session::update`], which re-renders only what
//! the change touches. The changed files are laid over a copy of the snapshot (cheap: files are shared `Arc`s) and
//! swapped in, and a reload event goes to every open page over server-sent events. While the site has errors, the
//! last site without errors stays served and every page shows them in an overlay.

mod http;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tokio::sync::broadcast;

use crate::BuildOptions;
use crate::diagnostics::{self, Format, Severity};
use crate::output::MemorySink;
use crate::session::Session;

/// Options of `quire serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub site: PathBuf,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Address to listen on (127.0.0.1 unless asked).
    pub bind: IpAddr,
    /// Open the site in the default browser.
    pub open: bool,
}

/// The files of the site as served: output path → bytes.
///
/// Two layers, so that making the next snapshot after an edit copies a few entries, not a map of every file of a
/// 20,000-page site: `base` is shared between snapshots, `recent` holds what changed since, and is folded into a new
/// base once it grows.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    base: Arc<HashMap<Arc<str>, Arc<[u8]>>>,
    recent: HashMap<Arc<str>, Arc<[u8]>>,
}

/// When `recent` holds more files than this, it is folded into the base.
const RECENT_LIMIT: usize = 512;

impl Snapshot {
    /// The file at output path `path`.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.recent.get(path).or_else(|| self.base.get(path))
    }

    /// True when the site has a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Every output path.
    pub fn paths(&self) -> impl Iterator<Item = &Arc<str>> {
        self.recent
            .keys()
            .chain(self.base.keys().filter(|k| !self.recent.contains_key(*k)))
    }

    /// Adds or replaces files.
    fn apply(&mut self, files: Vec<(String, Arc<[u8]>)>) {
        for (path, bytes) in files {
            self.recent.insert(Arc::from(path), bytes);
        }
        if self.recent.len() > RECENT_LIMIT {
            let base = Arc::make_mut(&mut self.base);
            base.extend(self.recent.drain());
        }
    }
}

/// A message to the open pages.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// The site changed: reload. `moved` maps output paths that are gone to where the page is now.
    Reload {
        /// Old output path → new output path, for renamed pages.
        moved: Vec<(String, String)>,
    },
    /// The diagnostics to show (a JSON array; `[]` hides the overlay).
    Diagnostics(Arc<str>),
}

/// What the HTTP side reads.
pub struct Shared {
    /// The site being served: the last build without errors.
    pub served: RwLock<Arc<Snapshot>>,
    /// Errors and warnings of the latest build, as a JSON array for the overlay.
    pub overlay: RwLock<Arc<str>>,
    /// Where reload and diagnostics events go.
    pub events: broadcast::Sender<LiveEvent>,
    /// Becomes true on Ctrl-C: event streams end, so a graceful shutdown does not wait for open pages forever.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

/// Runs `quire serve` until Ctrl-C.
pub fn run(options: &ServeOptions) -> ExitCode {
    match serve(options) {
        Ok(code) => code,
        Err(e) => crate::cmd::fatal(&e),
    }
}

fn serve(options: &ServeOptions) -> anyhow::Result<ExitCode> {
    let root = std::path::absolute(&options.site)?;
    let start = Instant::now();
    let sink = MemorySink::new();
    let mut session = Session::load(&root, &BuildOptions { incremental: true })?;
    session.render(&sink)?;
    let report = session.report();
    diagnostics::emit(&report.diagnostics, Format::Human, &root)?;
    let mut current = Snapshot::default();
    current.apply(sink.drain());
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        served: RwLock::new(Arc::new(current.clone())),
        overlay: RwLock::new(overlay_json(&report)),
        events,
        stopping: tokio::sync::watch::Sender::new(false),
    });
    eprintln!(
        "quire: built {} pages in {:.2}s ({} errors, {} warnings)",
        session.site().docs.len(),
        start.elapsed().as_secs_f64(),
        report.diagnostics.count(Severity::Error),
        report.diagnostics.count(Severity::Warning)
    );
    if !options.bind.is_loopback() {
        eprintln!(
            "quire: warning: serving on {} makes the preview reachable from other machines",
            options.bind
        );
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(SocketAddr::new(
        options.bind,
        options.port,
    ))) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
            "port {} is in use on {}: stop what uses it, choose another with --port, or pass --port 0 to pick a free one",
            options.port,
            options.bind
        ),
        Err(e) => return Err(e.into()),
    };
    let addr = listener.local_addr()?;
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    // On stdout, alone on its line, so scripts and tests can read it.
    println!("quire: serving {url} (Ctrl-C to stop)");

    let watcher = watch(&root, shared.clone(), session, current)?;
    if options.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("quire: cannot open a browser: {e}");
    }
    runtime.block_on(async move {
        let app = http::router(shared.clone());
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                shared.stopping.send_replace(true);
            })
            .await
    })?;
    drop(watcher);
    eprintln!("quire: stopped");
    Ok(ExitCode::SUCCESS)
}

/// The errors and warnings of a build, as the overlay's JSON array.
fn overlay_json(report: &crate::BuildReport) -> Arc<str> {
    let items: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(diagnostics::to_json)
        .collect();
    Arc::from(format!("[{}]", items.join(",")))
}

/// Watches the site's sources and rebuilds on change, on a thread of its own. Dropping the returned watcher stops
/// the events (the thread ends with the channel).
fn watch(
    root: &Path,
    shared: Arc<Shared>,
    mut session: Session,
    mut current: Snapshot,
) -> anyhow::Result<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                let _ = tx.send(path);
            }
        }
    })?;
    // The site folder itself only for its config files; the output folder and anything else there (a `target/`
    // of thousands of files) is never watched.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in [
        crate::source::CONTENT_DIR,
        "templates",
        "static",
        crate::locale::I18N_DIR,
    ] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    // A bare DocFX repo (issue 6) is its own content: its folders are watched, less those that never are content.
    if !root.join(crate::source::CONTENT_DIR).is_dir()
        && root.join(crate::docfx::DOCFX_FILE).is_file()
    {
        for entry in std::fs::read_dir(root)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir()
                && !name.starts_with('.')
                && !crate::docfx::BARE_SKIP.contains(&name.as_str())
            {
                watcher.watch(&entry.path(), RecursiveMode::Recursive)?;
            }
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let sink = MemorySink::new();
        // True when a full rebuild since the last reload may have moved pages.
        let mut paths_changed = false;
        while let Ok(first) = rx.recv() {
            // A save is often several events (write, rename, chmod); they come within a few milliseconds.
            let mut changed: HashSet<PathBuf> = HashSet::default();
            changed.insert(first);
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(8)) {
                changed.insert(more);
            }
            let changed: Vec<PathBuf> =
                changed.into_iter().filter(|p| relevant(&root, p)).collect();
            if changed.is_empty() {
                continue;
            }
            let started = Instant::now();
            let change = match session.update(&changed, &sink) {
                Ok(change) => change,
                Err(e) => {
                    eprintln!("quire: rebuild failed: {e:#}");
                    continue;
                }
            };
            if change.full {
                current = Snapshot::default();
                paths_changed = true;
            }
            current.apply(sink.drain());
            let rendered_in = started.elapsed();
            let report = session.report();
            let _ = diagnostics::emit(&report.diagnostics, Format::Human, &root);
            let errors = report.diagnostics.count(Severity::Error);
            let overlay = overlay_json(&report);
            *shared.overlay.write().unwrap_or_else(|p| p.into_inner()) = overlay.clone();
            if errors == 0 {
                // Pages may have moved since what the readers have open: compare with the served site.
                let moved = if paths_changed {
                    let served = shared
                        .served
                        .read()
                        .unwrap_or_else(|p| p.into_inner())
                        .clone();
                    moved_pages(&served, &current)
                } else {
                    Vec::new()
                };
                paths_changed = false;
                *shared.served.write().unwrap_or_else(|p| p.into_inner()) =
                    Arc::new(current.clone());
                let _ = shared.events.send(LiveEvent::Reload { moved });
            }
            // The search index catches up after the reload: its shards are served once written.
            match session.finish_search(&sink) {
                Ok(true) => {
                    current.apply(sink.drain());
                    if errors == 0 {
                        *shared.served.write().unwrap_or_else(|p| p.into_inner()) =
                            Arc::new(current.clone());
                    }
                }
                Ok(false) => {}
                Err(e) => eprintln!("quire: cannot update the search index: {e:#}"),
            }
            let _ = shared.events.send(LiveEvent::Diagnostics(overlay));
            eprintln!(
                "quire: {} {} in {} ms (render {} ms){}",
                if change.full {
                    "rebuilt all"
                } else {
                    "re-rendered"
                },
                if change.full {
                    format!("{} pages", change.pages.len())
                } else {
                    format!("{} page(s)", change.pages.len())
                },
                started.elapsed().as_millis(),
                rendered_in.as_millis(),
                if errors > 0 {
                    format!(" with {errors} error(s): still serving the last good site")
                } else {
                    String::new()
                }
            );
        }
    });
    Ok(watcher)
}

/// Paths a build reads: under `content/`, `templates/`, `static/`, `i18n/`, and the config files at the top.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.iter();
    match parts.next().and_then(|p| p.to_str()) {
        Some("content" | "templates" | "static" | "i18n") => true,
        Some("quire.yml" | "docfx.json") => parts.next().is_none(),
        _ => false,
    }
}

/// Pages that a full rebuild removed, each paired with the page that replaced it when that is clear: one page gone
/// and one new in the same folder is a rename.
fn moved_pages(before: &Snapshot, after: &Snapshot) -> Vec<(String, String)> {
    let html = |p: &&Arc<str>| p.ends_with(".html");
    let gone: Vec<&Arc<str>> = before
        .paths()
        .filter(html)
        .filter(|p| !after.contains(p))
        .collect();
    let new: Vec<&Arc<str>> = after
        .paths()
        .filter(html)
        .filter(|p| !before.contains(p))
        .collect();
    let folder = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(f, _)| f.to_string())
    };
    let mut moved = Vec::new();
    for g in &gone {
        let same: Vec<&&Arc<str>> = new.iter().filter(|n| folder(n) == folder(g)).collect();
        let gone_here = gone.iter().filter(|o| folder(o) == folder(g)).count();
        if let ([n], 1) = (same.as_slice(), gone_here) {
            moved.push((g.to_string(), n.to_string()));
        } else {
            // Else the locale's home, so the reader is not left on a 404.
            let locale = g.split('/').next().unwrap_or("");
            moved.push((g.to_string(), format!("{locale}/index.html")));
        }
    }
    moved
}
