// Until the bridge lands, `npm run demo` says so instead of failing obscurely.
console.log('Co-Sell Sync demo: coming soon (the bridge and emulators are being built).');
