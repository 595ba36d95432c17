window.cxlisten._w={survey(){},panel(){}};
