// Minimal stand-in for lightning-record-picker (not in the lightning-base-components package):
// a labelled lookup input, enough to show the form's layout and its disabled state.
import { LightningElement, api } from 'lwc';

export default class RecordPicker extends LightningElement {
  @api label;
  @api objectApiName;
  @api placeholder;
  @api filter;
  @api value;
  @api required = false;
  @api disabled = false;
}
