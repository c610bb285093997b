//! A compact catalog of popular npm packages (late 2024 releases).
//!
//! For each package: the version, how many packages installing it adds (itself plus
//! its whole dependency tree, what npm reports as `added N packages`), the total
//! unpacked size of that tree in `node_modules`, and the executables it links in
//! `node_modules/.bin`. Counts and sizes are recalled from installing them into an
//! empty project and from install-size listings (packagephobia); no registry was
//! queried when this table was written, so read them as estimates within ~20 %.
//! Sorted by name.

use super::NpmPackage;

macro_rules! npm {
    ($name:literal, $version:literal, $packages:literal, $kib:literal, [$($bin:literal),*]) => {
        NpmPackage { name: $name, version: $version, packages: $packages, bytes: $kib * 1024, bins: &[$($bin),*] }
    };
}

/// Packages by name (sorted).
#[rustfmt::skip]
pub(crate) const NPM: &[NpmPackage] = &[
    npm!("@angular/core", "19.0.4", 3, 25_600, []),
    npm!("@nestjs/common", "10.4.15", 5, 700, []),
    npm!("@nestjs/core", "10.4.15", 10, 1_500, []),
    npm!("@types/node", "22.10.2", 2, 2_500, []),
    npm!("axios", "1.7.9", 9, 2_400, []),
    npm!("bcrypt", "5.1.1", 60, 4_000, []),
    npm!("body-parser", "1.20.3", 28, 1_300, []),
    npm!("chalk", "5.3.0", 1, 44, []),
    npm!("commander", "12.1.0", 1, 180, []),
    npm!("cors", "2.8.5", 3, 60, []),
    npm!("dotenv", "16.4.7", 1, 80, []),
    npm!("esbuild", "0.24.0", 2, 10_200, ["esbuild"]),
    npm!("eslint", "9.16.0", 90, 12_000, ["eslint"]),
    npm!("express", "4.21.2", 65, 2_200, []),
    npm!("jest", "29.7.0", 270, 30_000, ["jest"]),
    npm!("jsonwebtoken", "9.0.2", 14, 420, []),
    npm!("lodash", "4.17.21", 1, 1_400, []),
    npm!("moment", "2.30.1", 1, 4_400, []),
    npm!("mongoose", "8.9.0", 20, 11_000, []),
    npm!("morgan", "1.10.0", 8, 180, []),
    npm!("mysql2", "3.11.5", 12, 4_500, []),
    npm!("next", "15.1.0", 30, 115_000, ["next"]),
    npm!("nodemon", "3.1.7", 30, 2_100, ["nodemon"]),
    npm!("pg", "8.13.1", 14, 800, []),
    npm!("pm2", "5.4.3", 150, 30_000, ["pm2"]),
    npm!("prettier", "3.4.2", 1, 7_800, ["prettier"]),
    npm!("react", "19.0.0", 1, 240, []),
    npm!("react-dom", "19.0.0", 2, 6_900, []),
    npm!("react-scripts", "5.0.1", 1_480, 330_000, ["react-scripts"]),
    npm!("redis", "4.7.0", 8, 1_000, []),
    npm!("sass", "1.82.0", 20, 6_000, ["sass"]),
    npm!("sequelize", "6.37.5", 25, 5_000, []),
    npm!("socket.io", "4.8.1", 20, 2_300, []),
    npm!("tailwindcss", "3.4.16", 110, 15_000, ["tailwindcss"]),
    npm!("ts-node", "10.9.2", 16, 8_000, ["ts-node"]),
    npm!("typescript", "5.7.2", 1, 22_600, ["tsc", "tsserver"]),
    npm!("uuid", "11.0.3", 1, 620, ["uuid"]),
    npm!("vite", "6.0.3", 13, 35_000, ["vite"]),
    npm!("vue", "3.5.13", 20, 11_000, []),
    npm!("webpack", "5.97.1", 76, 16_000, ["webpack"]),
    npm!("webpack-cli", "5.1.4", 40, 3_000, ["webpack-cli"]),
    npm!("winston", "3.17.0", 30, 1_500, []),
    npm!("zod", "3.24.1", 1, 3_500, []),
];

/// A package the catalog does not know: one package of this size, with a note.
pub(crate) const DEFAULT_BYTES: u64 = 500 * 1024;
