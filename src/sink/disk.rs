use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use super::index::stamp::Stamp;
use super::links::{check_output_dir, read_stamped, refuse_linked_folders};
use super::owned::owned_paths;
use super::temporary::TEMPORARY_SUFFIX;
use crate::parallel::on_every_core;
use crate::tree::Tree;

/// What an earlier build left in `out`, and what else lies in its folders.
pub(crate) struct OnDisk {
    pub tree: Tree,
    pub folders: Folders,
    /// What `stat` said of each file of `tree` as it was read, by path.
    pub stamps: std::collections::HashMap<String, Stamp>,
}

/// [`read_tree`], and a look at the folders that tree writes into.
pub(crate) fn read(out: &Path) -> io::Result<OnDisk> {
    let (tree, stamps) = read_stamped_tree(out)?;
    let folders = folders(out, &tree);
    Ok(OnDisk {
        tree,
        folders,
        stamps,
    })
}

/// The tree an earlier build left in `out`: the files its manifest lists, as they are now
/// (hand edits included). Empty when nothing was built there.
pub(crate) fn read_tree(out: &Path) -> io::Result<Tree> {
    read_stamped_tree(out).map(|(tree, _)| tree)
}

/// [`read_tree`], with the stamp of each file as it was read.
fn read_stamped_tree(out: &Path) -> io::Result<(Tree, HashMap<String, Stamp>)> {
    if !check_output_dir(out)? {
        return Ok((Tree::new(), HashMap::new()));
    }
    let paths = owned_paths(out)?;
    refuse_linked_folders(out, paths.iter().map(String::as_str))?;
    // Thousands of small reads are syscall-bound: spread them over the cores.
    let read = on_every_core(&paths, 64, || (), |(), path| read_stamped(out, path));
    let mut tree = Tree::new();
    let mut stamps = HashMap::with_capacity(paths.len());
    for (path, file) in paths.into_iter().zip(read) {
        if let Some((bytes, stamp)) = file? {
            stamps.insert(path.clone(), stamp);
            tree.insert(path, bytes);
        }
    }
    Ok((tree, stamps))
}

/// What lies beside a tree's files in its folders.
pub(crate) struct Folders {
    /// Entries fleetc did not write, in the folders it writes into (the output folder itself
    /// excepted: it is often a repository root full of other files). They are never touched;
    /// commands report them, since a file there is in no kustomization.
    pub unowned: Vec<String>,
    /// Temporary files a killed run left (`.<name>.<random>.fleetc-tmp`), fleetc's own to
    /// remove.
    pub temporaries: Vec<String>,
}

pub(crate) fn folders(out: &Path, tree: &Tree) -> Folders {
    let mut folders: std::collections::BTreeSet<&str> = tree
        .paths()
        .filter_map(|path| path.rsplit_once('/').map(|(folder, _)| folder))
        .collect();
    folders.insert("");
    let mut found = Folders {
        unowned: Vec::new(),
        temporaries: Vec::new(),
    };
    for folder in folders {
        let Ok(entries) = fs::read_dir(out.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if folder.is_empty() {
                name.clone()
            } else {
                format!("{folder}/{name}")
            };
            if name.ends_with(TEMPORARY_SUFFIX) {
                found.temporaries.push(path);
            } else if !folder.is_empty()
                && tree.get(&path).is_none()
                && tree.under(&format!("{path}/")).next().is_none()
            {
                found.unowned.push(path);
            }
        }
    }
    found.unowned.sort();
    found
}
