#!/usr/bin/env node
// Finds a Chromium for the browser checks: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own.
// When none is found: Debian's package when running as root with apt, else Playwright's download;
// when neither can work, one line saying how to get one, and a non-zero exit.
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) if (candidate && fs.existsSync(candidate)) return candidate;
  try {
    const { chromium } = require('@playwright/test');
    const bundled = chromium.executablePath();
    if (bundled && fs.existsSync(bundled)) return bundled;
  } catch {
    // Playwright has no browser of its own here; that is expected.
  }
  return undefined;
}

function run(command, args) {
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

module.exports = { findChromium };

if (require.main === module) {
  let found = findChromium();
  if (!found) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const hasApt = fs.existsSync('/usr/bin/apt-get');
    if (isRoot && hasApt) {
      console.log('Chromium not found: installing Debian\'s chromium with apt-get.');
      run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'chromium']);
    } else {
      console.log('Chromium not found: trying Playwright\'s own download.');
      run(process.execPath, [require.resolve('@playwright/test/cli'), 'install', 'chromium']);
    }
    found = findChromium();
  }
  if (!found) {
    console.error('No Chromium found: install Debian\'s chromium (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.');
    process.exit(1);
  }
  console.log(`Chromium: ${found}`);
}
