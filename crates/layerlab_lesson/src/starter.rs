//! The starter project the page opens with: a small Node app whose context shows why
//! `.dockerignore` matters (dependencies, VCS data, secrets and logs that should not be
//! sent). Kept here, beside the lessons, so the engine's what-if tests build the same
//! Dockerfile the page opens with.

/// The starter's Dockerfile (it sits in the context, and `COPY . .` copies it).
pub const DOCKERFILE: &str = "\
# syntax=docker/dockerfile:1
FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
USER node
CMD [\"node\", \"server.js\"]
";

/// The starter's `.dockerignore`.
pub const DOCKERIGNORE: &str = "\
# Dependencies are installed inside the image.
node_modules
# Version control and local files never belong in an image.
.git
.env
*.log
";

/// The starter's other text files: path and content.
pub const TEXT_FILES: [(&str, &str); 6] = [
    ("package.json", "{\n  \"name\": \"hello\",\n  \"version\": \"1.0.0\",\n  \"main\": \"server.js\",\n  \"dependencies\": { \"express\": \"^4.19.2\" }\n}\n"),
    ("package-lock.json", "{\n  \"name\": \"hello\",\n  \"lockfileVersion\": 3,\n  \"requires\": true\n}\n"),
    ("server.js", "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('hello from layerlab'));\napp.listen(3000);\n"),
    ("src/routes.js", "module.exports = [];\n"),
    ("README.md", "# hello\n\nA tiny Express app.\n"),
    (".env", "API_TOKEN=not-a-real-secret\n"),
];

/// Files known by size only: what a developer's folder holds but the `.dockerignore`
/// keeps out of the context.
pub const SIZED_FILES: [(&str, u64); 7] = [
    ("node_modules/express/index.js", 224),
    ("node_modules/express/package.json", 2_652),
    ("node_modules/express/lib/express.js", 2_409),
    ("node_modules/.package-lock.json", 41_287),
    (".git/HEAD", 21),
    (".git/index", 1_843),
    ("npm-debug.log", 12_045),
];
