//! Where rendered files go: the [`Sink`] trait and its kinds, and the `commit` step.
//!
//! [`DirSink`] writes into a temporary folder beside the output and renames it into place only on [`DirSink::commit`],
//! so a failed build leaves the previous site exactly as it was and a good one replaces it whole. [`DiscardSink`]
//! (for `check`) writes nothing. Before anything is written, [`DirSink::create`] refuses outputs that could lose
//! someone's files: the site folder itself, anything inside `content/` or holding it, and an existing non-empty
//! folder that quire did not write (it has no [`MARKER`] file).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The file quire leaves in every output folder it writes, so it never replaces a folder it did not make.
pub const MARKER: &str = ".quire-output";

/// Receives the files of the built site. Implementations are shared by the rendering threads.
pub trait Sink: Sync {
    /// Writes `bytes` at `path` (relative to the output root, `/`-separated).
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Copies the file at `from` to `path`.
    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(path, &bytes)
    }
}

/// Writes nothing: `check` runs the whole pipeline through it.
pub struct DiscardSink;

impl Sink for DiscardSink {
    fn write(&self, _path: &str, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn copy(&self, _path: &str, _from: &Path) -> io::Result<()> {
        Ok(())
    }
}

/// Writes into a temporary folder beside the output, moved into place by [`DirSink::commit`] and removed when dropped
/// without a commit.
pub struct DirSink {
    temp: PathBuf,
    output: PathBuf,
    /// Parent folders of the output that did not exist before, deepest first.
    created: Vec<PathBuf>,
    committed: bool,
}

impl DirSink {
    /// Checks that `output` may be (re)placed for the site at `site_root`, and creates the temporary folder.
    pub fn create(output: &Path, site_root: &Path) -> anyhow::Result<DirSink> {
        let output = absolute(output)?;
        let site_root = absolute(site_root)?;
        let content = site_root.join(crate::source::CONTENT_DIR);
        if output == site_root {
            bail!(
                "refusing to write the site into its own folder `{}`: choose an output folder such as `public`",
                output.display()
            );
        }
        if site_root.starts_with(&output) {
            bail!(
                "refusing to replace `{}`: it holds the site itself; choose an output folder inside or beside the site",
                output.display()
            );
        }
        if output.starts_with(&content) || content.starts_with(&output) {
            bail!(
                "refusing to write into or over `content/` (`{}`): choose an output folder such as `public`",
                output.display()
            );
        }
        ensure_replaceable(&output)?;
        let parent = output
            .parent()
            .context("the output folder has no parent folder")?;
        let name = output
            .file_name()
            .context("the output folder has no name")?
            .to_string_lossy()
            .into_owned();
        // Folders made here are removed again if the build fails, so a failed first build leaves nothing behind.
        let mut created = Vec::new();
        let mut missing = Some(parent);
        while let Some(dir) = missing.filter(|d| !d.exists()) {
            created.push(dir.to_path_buf());
            missing = dir.parent();
        }
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_stale_temps(parent, &name);
        let temp = parent.join(format!(".{name}.quire-tmp-{}", std::process::id()));
        if temp.exists() {
            std::fs::remove_dir_all(&temp)
                .with_context(|| format!("cannot remove {}", temp.display()))?;
        }
        std::fs::create_dir(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        Ok(DirSink {
            temp,
            output,
            created,
            committed: false,
        })
    }

    /// Moves the finished site into place: the old output is renamed aside, the new one renamed in, the old one
    /// removed. Both renames stay on one file system, so each is atomic.
    pub fn commit(mut self) -> anyhow::Result<()> {
        std::fs::write(
            self.temp.join(MARKER),
            b"This folder is written by quire build and replaced whole by the next build.\n",
        )
        .with_context(|| format!("cannot write {}", self.temp.display()))?;
        let old = self.output.with_file_name(format!(
            ".{}.quire-old-{}",
            self.output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        // Checked again now, right before anything is moved: the folder may have changed since `create`.
        ensure_replaceable(&self.output)?;
        let had_old = self.output.exists();
        if had_old {
            std::fs::rename(&self.output, &old).with_context(|| {
                format!("cannot move the previous {} aside", self.output.display())
            })?;
        }
        if let Err(e) = std::fs::rename(&self.temp, &self.output) {
            if had_old {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(e).with_context(|| {
                format!("cannot move the new site into {}", self.output.display())
            });
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("cannot remove the previous site at {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for DirSink {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
            // `remove_dir` removes only empty folders: nothing but what `create` made can go.
            for dir in &self.created {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.temp.join(path);
        let mut file = match std::fs::File::create(&dest) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::File::create(&dest)?
            }
            Err(e) => return Err(e),
        };
        file.write_all(bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let dest = self.temp.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, dest).map(|_| ())
    }
}

/// Refuses to replace `output` unless it is missing, empty, or a folder quire wrote (it holds the [`MARKER`]).
fn ensure_replaceable(output: &Path) -> anyhow::Result<()> {
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        bail!(
            "refusing to replace `{}`: it is a file, not a folder",
            output.display()
        );
    }
    let empty = std::fs::read_dir(output)
        .with_context(|| format!("cannot read {}", output.display()))?
        .next()
        .is_none();
    if !empty && !output.join(MARKER).is_file() {
        bail!(
            "refusing to replace `{}`: it is not empty and quire did not write it (no `{MARKER}` file); choose another output folder or empty this one",
            output.display()
        );
    }
    Ok(())
}

/// Removes temporary folders left by an earlier quire run that was killed (they carry our name pattern only).
fn remove_stale_temps(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.quire-tmp-"), format!(".{name}.quire-old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// An absolute path with `.` and `..` resolved and symbolic links followed as far as the path exists, without
/// requiring it to exist. Each component is applied to the real path built so far, so `public/../content` and a
/// link pointing into `content/` both come out as the real `content/` folder the safety checks compare against.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    use std::path::Component;
    let abs =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let mut out = PathBuf::new();
    for component in abs.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    Ok(out)
}

/// Keeps every file in memory, for `serve`: the files written since it was made (or last drained).
#[derive(Default)]
pub struct MemorySink {
    files: std::sync::Mutex<Vec<(String, std::sync::Arc<[u8]>)>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> MemorySink {
        MemorySink::default()
    }

    /// Takes the files written so far, leaving the sink empty.
    pub fn drain(&self) -> Vec<(String, std::sync::Arc<[u8]>)> {
        std::mem::take(&mut *self.files.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        // Copied before taking the lock, so rendering threads do not wait on each other's copies.
        let file = (path.to_string(), std::sync::Arc::from(bytes));
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(file);
        Ok(())
    }
}
