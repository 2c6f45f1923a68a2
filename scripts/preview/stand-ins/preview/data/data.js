// What the platform stand-ins answer for the scenario on screen. The preview page sets it
// (setScenarioData) before it creates the component; the wire adapters read it on connect.
let current = {};

export function setScenarioData(data) {
  current = data || {};
}

export function scenarioData() {
  return current;
}
