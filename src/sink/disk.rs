use std::fs;
use std::io;
use std::path::Path;

use super::changes::owned_paths;
use crate::tree::Tree;

/// The tree an earlier build left in `out`: the files its manifest lists, as they are now
/// (hand edits included). Empty when nothing was built there.
pub fn read_tree(out: &Path) -> io::Result<Tree> {
    let mut tree = Tree::new();
    for path in owned_paths(out)? {
        match fs::read(out.join(&path)) {
            Ok(bytes) => tree.insert(path, bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io::Error::new(e.kind(), format!("{path}: {e}"))),
        }
    }
    Ok(tree)
}
