// Placeholder: the health monitor (issue #3) replaces this.
const timer = setInterval(() => {}, 60_000);
process.on('SIGINT', () => {
  clearInterval(timer);
  process.exit(0);
});
