//! A compact catalog of popular npm packages (late 2024 releases).
//!
//! For each package: the version, how many packages installing it adds (itself plus
//! its whole dependency tree, what npm reports as `added N packages`), the total
//! unpacked size of that tree in `node_modules`, and the executables it links in
//! `node_modules/.bin`.
//!
//! Source: installing each pinned version alone into an empty project from the npm
//! registry (`npm install --omit=dev --ignore-scripts NAME@VERSION`, npm 10, linux-x64,
//! December 2026): the count is npm's `added N packages` (peer dependencies included,
//! as npm 7+ installs them; other platforms' optional binaries excluded), the size
//! `du -sb --apparent-size node_modules`. Transitive dependencies resolve to their
//! releases at that date, so trees can be a little larger than in late 2024. Rows
//! marked `// estimate` were too large to install for the check (tens to hundreds of
//! MB) and keep values recalled from install-size listings, within ~20 %.
//! `crates/layerlab_shell/scripts/check-catalog-sizes.sh` repeats the measurement. Sorted by name.

use super::NpmPackage;

macro_rules! npm {
    ($name:literal, $version:literal, $packages:literal, $kib:literal, [$($bin:literal),*]) => {
        NpmPackage { name: $name, version: $version, packages: $packages, bytes: $kib * 1024, bins: &[$($bin),*] }
    };
}

/// Packages by name (sorted).
#[rustfmt::skip]
pub(crate) const NPM: &[NpmPackage] = &[
    npm!("@angular/core", "19.0.4", 3, 25_600, []), // estimate
    npm!("@nestjs/common", "10.4.15", 7, 5_811, []),
    npm!("@nestjs/core", "10.4.15", 33, 8_621, []),
    npm!("@types/node", "22.10.2", 2, 2_361, []),
    npm!("axios", "1.7.9", 26, 3_103, []),
    npm!("bcrypt", "5.1.1", 59, 2_895, []),
    npm!("body-parser", "1.20.3", 44, 1_951, []),
    npm!("chalk", "5.3.0", 1, 67, []),
    npm!("commander", "12.1.0", 1, 198, []),
    npm!("cors", "2.8.5", 3, 54, []),
    npm!("dotenv", "16.4.7", 1, 86, []),
    npm!("esbuild", "0.24.0", 2, 10_105, ["esbuild"]),
    npm!("eslint", "9.16.0", 90, 12_000, ["eslint"]), // estimate
    npm!("express", "4.21.2", 72, 2_744, []),
    npm!("jest", "29.7.0", 270, 30_000, ["jest"]), // estimate
    npm!("jsonwebtoken", "9.0.2", 15, 418, []),
    npm!("lodash", "4.17.21", 1, 1_420, []),
    npm!("moment", "2.30.1", 1, 4_321, []),
    npm!("mongoose", "8.9.0", 19, 11_340, []),
    npm!("morgan", "1.10.0", 9, 231, []),
    npm!("mysql2", "3.11.5", 12, 1_556, []),
    npm!("next", "15.1.0", 30, 115_000, ["next"]), // estimate
    npm!("nodemon", "3.1.7", 30, 1_139, ["nodemon"]),
    npm!("pg", "8.13.1", 13, 539, []),
    npm!("pm2", "5.4.3", 150, 30_000, ["pm2"]), // estimate
    npm!("prettier", "3.4.2", 1, 7_672, ["prettier"]),
    npm!("react", "19.0.0", 1, 244, []),
    npm!("react-dom", "19.0.0", 3, 6_507, []),
    npm!("react-scripts", "5.0.1", 1_480, 330_000, ["react-scripts"]), // estimate
    npm!("redis", "4.7.0", 10, 1_143, []),
    npm!("sass", "1.82.0", 12, 7_907, ["sass"]),
    npm!("sequelize", "6.37.5", 21, 16_187, []),
    npm!("socket.io", "4.8.1", 25, 5_384, []),
    npm!("tailwindcss", "3.4.16", 110, 15_000, ["tailwindcss"]), // estimate
    npm!("ts-node", "10.9.2", 21, 34_822, ["ts-node"]),
    npm!("typescript", "5.7.2", 1, 22_279, ["tsc", "tsserver"]),
    npm!("uuid", "11.0.3", 1, 339, ["uuid"]),
    npm!("vite", "6.0.3", 10, 18_762, ["vite"]),
    npm!("vue", "3.5.13", 20, 11_000, []), // estimate
    npm!("webpack", "5.97.1", 83, 21_966, ["webpack"]),
    npm!("webpack-cli", "5.1.4", 104, 30_289, ["webpack-cli"]),
    npm!("winston", "3.17.0", 29, 2_211, []),
    npm!("zod", "3.24.1", 1, 706, []),
];

/// A package the catalog does not know: one package of this size, with a note.
pub(crate) const DEFAULT_BYTES: u64 = 500 * 1024;
