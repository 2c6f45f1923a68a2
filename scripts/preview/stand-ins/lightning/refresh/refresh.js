// Stand-in for lightning/refresh: the preview never triggers a page refresh.
let nextId = 0;
export const registerRefreshHandler = () => ++nextId;
export const unregisterRefreshHandler = () => {};
export const registerRefreshContainer = () => ++nextId;
export const unregisterRefreshContainer = () => {};
export class RefreshEvent extends CustomEvent {
  constructor() {
    super('lightning__refresh', { bubbles: true, composed: true, cancelable: true });
  }
}
