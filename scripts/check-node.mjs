// Run before every npm script: plain JavaScript, so any Node can run it and say which Node
// Marquee needs, where the .ts entry points would otherwise fail with ERR_UNKNOWN_FILE_EXTENSION.
// npm scripts put node_modules/.bin first on PATH, and `npm ci` puts Node 24 there (the `node`
// dev dependency), so this only fires when that install is missing or skipped.
const MINIMUM = [22, 18]; // type stripping without a flag
const [major, minor] = process.versions.node.split(".").map(Number);

if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  console.error(
    `marquee needs Node.js ${MINIMUM.join(".")} or newer (24 recommended), but this is ${process.version} (${process.execPath}): ` +
      "run `npm ci` (it installs Node 24 from npm as a dev dependency, which npm scripts use) or put Node 24 first on PATH",
  );
  process.exit(1);
}
