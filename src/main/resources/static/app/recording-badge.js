/**
 * The header badge that says, on every page, that this tab is being recorded: shown only while
 * posthog-js reports that it records, not merely while the settings ask for it.
 */
import * as analytics from '/analytics/second-analytics.js';

export function showRecordingBadge() {
  const badge = document.getElementById('recording-badge');
  if (!badge) return;
  const render = ({ status }) => {
    badge.hidden = status !== 'recording';
  };
  render(analytics.replayStatus());
  analytics.onReplay(render);
}
