//! Files beside the spec, read from where the spec was read: the working folder, or the git
//! revision a spec of another revision was read at, so a comparison with that revision sees
//! the files as they were then.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::reader::{Reader, Unreadable};
use super::{MAX_SPEC_BYTES, Source, display_path};

impl Source {
    /// The folder the spec's files are listed relative to.
    pub(crate) fn folder(&self) -> PathBuf {
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// The spec whose files beside it `reader` reads, instead of the working folder.
    #[must_use]
    pub(crate) fn reading_beside(mut self, reader: Reader) -> Self {
        self.beside = Some(reader);
        self
    }

    /// The files beside the spec read so far from the working folder (the files it includes
    /// among them), relative to its folder, each once.
    pub(crate) fn files_read_beside(&self) -> Vec<String> {
        let mut read = self
            .read_beside
            .lock()
            .expect("no reader panics holding the list")
            .clone();
        read.sort();
        read.dedup();
        read
    }

    /// The text of `relative` (a path kept inside the spec's folder by its spelling), where
    /// the spec was read from. A link is followed only to a file inside the folder.
    pub(crate) fn read_beside(&self, relative: &str) -> Result<String, Unreadable> {
        let bytes = if let Some(reader) = &self.beside {
            reader.read(relative)?
        } else {
            let bytes = read_on_disk(&self.folder(), relative)?;
            self.read_beside
                .lock()
                .expect("no reader panics holding the list")
                .push(relative.to_owned());
            bytes
        };
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_SPEC_BYTES {
            return Err(Unreadable::TooLarge(MAX_SPEC_BYTES / 1024 / 1024));
        }
        String::from_utf8(bytes).map_err(|_| Unreadable::NotUtf8)
    }
}

fn read_on_disk(folder: &Path, relative: &str) -> Result<Vec<u8>, Unreadable> {
    let path = if folder == Path::new(".") {
        PathBuf::from(relative)
    } else {
        folder.join(relative)
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(Unreadable::Missing(display_path(&path)));
    }
    let failed = |e: std::io::Error| Unreadable::Failed(e.to_string());
    let root = folder.canonicalize().map_err(failed)?;
    let real = path
        .canonicalize()
        .map_err(|_| Unreadable::Missing(display_path(&path)))?;
    if !real.starts_with(&root) {
        return Err(Unreadable::Outside(display_path(&real)));
    }
    if !real.is_file() {
        return Err(Unreadable::NotAFile);
    }
    // Reading one byte past the limit tells an oversized file without reading all of it.
    let mut bytes = Vec::new();
    std::fs::File::open(&real)
        .and_then(|file| file.take(MAX_SPEC_BYTES + 1).read_to_end(&mut bytes))
        .map_err(failed)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::{Source, Unreadable};

    #[test]
    fn a_file_is_read_from_the_specs_folder_and_a_link_only_to_one_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec");
        std::fs::create_dir_all(spec.join("extra")).unwrap();
        std::fs::write(spec.join("extra/a.yaml"), "kind: A\n").unwrap();
        std::fs::write(dir.path().join("secret.yaml"), "kind: Secret\n").unwrap();
        let source = Source::new(spec.join("enterprise.toml"), "");
        assert_eq!(source.read_beside("extra/a.yaml").unwrap(), "kind: A\n");
        assert!(matches!(
            source.read_beside("extra/b.yaml"),
            Err(Unreadable::Missing(_))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("../../secret.yaml", spec.join("extra/out.yaml")).unwrap();
            std::os::unix::fs::symlink("a.yaml", spec.join("extra/in.yaml")).unwrap();
            assert!(matches!(
                source.read_beside("extra/out.yaml"),
                Err(Unreadable::Outside(_))
            ));
            assert_eq!(source.read_beside("extra/in.yaml").unwrap(), "kind: A\n");
        }
        assert_eq!(source.read_beside("extra"), Err(Unreadable::NotAFile));
    }
}
