// Reads a folder the user picked or dropped into a compact listing for the wasm side:
// one entry per line, "path\tsize\tkind" with kind "d" or "f", paths relative to the
// folder's root, plus the text of the few files the page must read (Dockerfiles and
// ignore files, up to 1 MiB each). Nothing else is read and nothing leaves the page.

const TEXT_LIMIT = 1 << 20;
const wantsText = (path) => {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return !path.includes('/') && (name === '.dockerignore' || /(^|\.)Dockerfile$|\.dockerignore$|^Dockerfile\./i.test(name));
};

async function finish(entries, files) {
  const texts = {};
  for (const [path, file] of files) {
    if (wantsText(path) && file.size <= TEXT_LIMIT) texts[path] = await file.text();
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { listing: entries.map((e) => e.join('\t')).join('\n'), texts };
}

// <input type="file" webkitdirectory>: every file has webkitRelativePath "root/a/b".
// Empty directories are not reported by browsers here; parent directories are implied.
export async function readPickedFiles(fileList) {
  const entries = [], files = [], dirs = new Set();
  for (const file of fileList) {
    const rel = file.webkitRelativePath || file.name;
    const path = rel.slice(rel.indexOf('/') + 1);
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
    entries.push([path, file.size, 'f']);
    files.push([path, file]);
  }
  for (const d of dirs) entries.push([d, 0, 'd']);
  return finish(entries, files);
}

// Drag and drop: walk FileSystemEntry trees (readEntries returns batches until empty).
export async function readDroppedItems(dataTransfer) {
  const roots = [...dataTransfer.items].map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
  const entries = [], files = [];
  const fileOf = (entry) => new Promise((ok, fail) => entry.file(ok, fail));
  const batch = (reader) => new Promise((ok, fail) => reader.readEntries(ok, fail));
  async function walk(entry, path) {
    if (entry.isFile) {
      const file = await fileOf(entry);
      entries.push([path, file.size, 'f']);
      files.push([path, file]);
    } else if (entry.isDirectory) {
      if (path) entries.push([path, 0, 'd']);
      const reader = entry.createReader();
      for (let kids = await batch(reader); kids.length; kids = await batch(reader)) {
        for (const kid of kids) await walk(kid, path ? `${path}/${kid.name}` : kid.name);
      }
    }
  }
  // One dropped folder is the context root; loose dropped files sit at the root.
  if (roots.length === 1 && roots[0].isDirectory) await walk(roots[0], '');
  else for (const r of roots) await walk(r, r.name);
  return finish(entries, files);
}
