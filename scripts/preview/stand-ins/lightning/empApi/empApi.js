// Stand-in for lightning/empApi: subscribing succeeds, or is refused when the scenario is
// "live updates unavailable" (as for a user without access to the channel).
import { scenarioData } from 'preview/data';

export function subscribe(channel) {
  return scenarioData().liveUpdatesUnavailable
    ? Promise.reject(new Error(`403::Forbidden ${channel}`))
    : Promise.resolve({ channel, id: 'preview' });
}

export const unsubscribe = (subscription, callback) => {
  if (callback) callback(true);
  return Promise.resolve(true);
};
export const onError = () => Promise.resolve();
export const isEmpEnabled = () => Promise.resolve(true);
export const setDebugFlag = () => Promise.resolve();
