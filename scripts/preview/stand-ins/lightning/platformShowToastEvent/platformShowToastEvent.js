// Stand-in for lightning/platformShowToastEvent: the event Lightning Experience listens for.
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: toast,
    });
  }
}
