// The details editor's user-facing text, from custom labels (translatable in Translation Workbench).
import TITLE from '@salesforce/label/c.CoSell_Details_Title';
import LOADING from '@salesforce/label/c.CoSell_Details_Loading';
import NO_SOLUTIONS from '@salesforce/label/c.CoSell_Details_No_Solutions';
import SOLUTIONS_LABEL from '@salesforce/label/c.CoSell_Details_Solutions_Label';
import SOLUTIONS_AVAILABLE from '@salesforce/label/c.CoSell_Details_Solutions_Available';
import SOLUTIONS_SELECTED from '@salesforce/label/c.CoSell_Details_Solutions_Selected';
import SOLUTIONS_HELP from '@salesforce/label/c.CoSell_Details_Solutions_Help';
import SOLUTION_OPTION from '@salesforce/label/c.CoSell_Details_Solution_Option';
import INACTIVE_SOLUTION from '@salesforce/label/c.CoSell_Details_Inactive_Solution';
import CURRENCY_LABEL from '@salesforce/label/c.CoSell_Details_Currency_Label';
import CURRENCY_HELP_SINGLE from '@salesforce/label/c.CoSell_Details_Currency_Help_Single';
import CURRENCY_HELP_MULTI from '@salesforce/label/c.CoSell_Details_Currency_Help_Multi';
import CURRENCY_DEFAULT from '@salesforce/label/c.CoSell_Details_Currency_Default';
import CURRENCY_FROM_OPPORTUNITY from '@salesforce/label/c.CoSell_Details_Currency_From_Opportunity';
import CURRENCY_FROM_USER from '@salesforce/label/c.CoSell_Details_Currency_From_User';
import HELP_LABEL from '@salesforce/label/c.CoSell_Details_Help_Label';
import NO_HELP from '@salesforce/label/c.CoSell_Details_No_Help';
import CONTACT_LABEL from '@salesforce/label/c.CoSell_Details_Contact_Label';
import CONTACT_PLACEHOLDER from '@salesforce/label/c.CoSell_Details_Contact_Placeholder';
import VISIBILITY_LABEL from '@salesforce/label/c.CoSell_Details_Visibility_Label';
import VISIBILITY_HELP from '@salesforce/label/c.CoSell_Details_Visibility_Help';
import CANCEL from '@salesforce/label/c.CoSell_Details_Cancel';
import SAVE from '@salesforce/label/c.CoSell_Details_Save';
import SAVING from '@salesforce/label/c.CoSell_Details_Saving';
import SAVED_TITLE from '@salesforce/label/c.CoSell_Details_Saved_Title';
import SAVED_MESSAGE from '@salesforce/label/c.CoSell_Details_Saved_Message';
import SAVE_ERROR_TITLE from '@salesforce/label/c.CoSell_Details_Save_Error_Title';

export default Object.freeze({
  TITLE,
  LOADING,
  NO_SOLUTIONS,
  SOLUTIONS_LABEL,
  SOLUTIONS_AVAILABLE,
  SOLUTIONS_SELECTED,
  SOLUTIONS_HELP,
  SOLUTION_OPTION,
  INACTIVE_SOLUTION,
  CURRENCY_LABEL,
  CURRENCY_HELP_SINGLE,
  CURRENCY_HELP_MULTI,
  CURRENCY_DEFAULT,
  CURRENCY_FROM_OPPORTUNITY,
  CURRENCY_FROM_USER,
  HELP_LABEL,
  NO_HELP,
  CONTACT_LABEL,
  CONTACT_PLACEHOLDER,
  VISIBILITY_LABEL,
  VISIBILITY_HELP,
  CANCEL,
  SAVE,
  SAVING,
  SAVED_TITLE,
  SAVED_MESSAGE,
  SAVE_ERROR_TITLE,
});
