// Only the headers: with them the page is cross-origin isolated and the SDK picks its threads build.
// Without them (CA3_NO_ISOLATION=1) it runs the single-thread build. Nothing else is needed for ca3-sdk.
const isolation = process.env.CA3_NO_ISOLATION ? {} : {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
export default { server: { headers: isolation }, preview: { headers: isolation } };
