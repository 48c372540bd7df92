//! A repository of scripts: the project file `dlg.toml`, found in a script's folder or a parent
//! (as cargo finds `Cargo.toml`), which files hold Deluge, settings by dotted key, and finding
//! the files that define the functions a script calls.
//!
//! ```
//! use deluge_lang::project::Project;
//!
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(
//!     dir.path().join("dlg.toml"),
//!     "[sources]\ninclude = [\"functions/**/*.ts\"]\n[mail]\nsmtp_url = \"smtp://127.0.0.1:2525\"\n",
//! ).unwrap();
//! std::fs::create_dir(dir.path().join("functions")).unwrap();
//! let project = Project::discover(&dir.path().join("functions")).unwrap().unwrap();
//! assert!(project.sources().is_source(&dir.path().join("functions/send.ts")));
//! let settings = project.settings().unwrap();
//! assert!(settings.setting("mail.smtp_url").is_some());
//! ```

// The parts behind the re-exports below: private unless the `internals` feature is on.
internal_modules!(config, detect, resolve, settings, sources);

use std::path::{Path, PathBuf};

pub use config::{ConfigError, ProjectConfig};
pub use settings::{Origin, Settings};
pub use sources::Sources;

/// The name of the project file.
pub const PROJECT_FILE: &str = "dlg.toml";

/// A project: the folder holding a `dlg.toml`, what the file says, and its source selection.
#[derive(Clone, Debug)]
pub struct Project {
    pub(crate) root: PathBuf,
    pub(crate) file: PathBuf,
    pub(crate) config: ProjectConfig,
    pub(crate) sources: Sources,
}

impl Project {
    /// The folder that holds `dlg.toml`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The `dlg.toml` itself.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// What it says.
    pub fn config(&self) -> &ProjectConfig {
        &self.config
    }

    /// Which files under [`root`](Project::root) hold Deluge.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The project `start` (a folder, or a file whose folder is used) belongs to: the nearest
    /// `dlg.toml` in it or a parent folder. `Ok(None)` when there is none; an error when the
    /// nearest one cannot be read or is not valid.
    pub fn discover(start: &Path) -> Result<Option<Project>, ConfigError> {
        let start = std::fs::canonicalize(start)
            .or_else(|_| std::path::absolute(start))
            .unwrap_or_else(|_| start.to_path_buf());
        let first = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        for folder in first.into_iter().flat_map(Path::ancestors) {
            let file = folder.join(PROJECT_FILE);
            if file.is_file() {
                return Project::load(&file).map(Some);
            }
        }
        Ok(None)
    }

    /// The project whose project file is `file`.
    pub fn load(file: &Path) -> Result<Project, ConfigError> {
        let config = config::read(file)?;
        let root = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let sources = Sources::new(&root, &config.include, &config.exclude).map_err(|message| {
            ConfigError {
                file: file.to_path_buf(),
                line: 0,
                column: 0,
                message,
            }
        })?;
        Ok(Project {
            root,
            file: file.to_path_buf(),
            config,
            sources,
        })
    }

    /// The settings in force in this project (see [`Settings`] for the order of the layers).
    pub fn settings(&self) -> Result<Settings, ConfigError> {
        Settings::load(Some(self))
    }

    /// Every source file of the project, sorted.
    pub fn source_files(&self) -> Vec<PathBuf> {
        self.sources.walk(&self.root).files
    }
}

/// The settings in force for a script or folder at `start`: its project's `dlg.toml` (if any),
/// the user's `config.toml` and the `DLG_*` variables. This is the one call front ends need:
///
/// ```
/// let settings = deluge_lang::project::settings_for(std::path::Path::new(".")).unwrap();
/// let smtp = settings.setting("mail.smtp_url"); // flags are added with settings.set_flag(..)
/// # let _ = smtp;
/// ```
pub fn settings_for(start: &Path) -> Result<Settings, ConfigError> {
    let project = Project::discover(start)?;
    Settings::load(project.as_ref())
}

/// The source selection that applies at `start`: the project's, or the default one (Deluge
/// extensions only) outside any project.
pub fn sources_at(start: &Path) -> Result<Sources, ConfigError> {
    Ok(match Project::discover(start)? {
        Some(project) => project.sources,
        None => Sources::defaults(start),
    })
}
